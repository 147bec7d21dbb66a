// The browser tier of `make test`: the real `p20w serve` driven by Debian's
// chromium through playwright-core.
//
//   node tests/browser/run.mjs            (from anywhere; tests/run.sh browser)
//
// 1. builds a small synthetic state with the p20w binary (synth, init,
//    ingest, link, build; 2000 learners, seed 1) under build/browser/;
// 2. starts `p20w serve` on a free loopback port (--port 0);
// 3. discovers the page types from the server itself: /sitemap.xml when it
//    has one, and the links of every page reached from / (one page per
//    type: a path whose segments holding digits are ids is one type), so
//    a new page is covered without touching this file;
// 4. for every page type, in English and in Spanish: the page loads (200),
//    <html lang> is the language, the text is translated, no console error,
//    no failed request, no Content-Security-Policy violation and a CSP
//    without 'unsafe-inline' script; axe-core finds no violation of WCAG
//    2.0/2.1 A and AA; every control is reached with the Tab key and shows
//    its focus; the explanatory text (elements of class "explain") reads at
//    Flesch–Kincaid grade 8 or below in English and is translated in
//    Spanish; every table of published numbers shows its cells' own
//    numbers, and its CSV download and JSON (API) hold the same cells
//    (cells.mjs says how); every filter, submitted with its button,
//    changes the numbers shown, keeps the choice and the language; a
//    screenshot is kept in build/screenshots/;
//    every share measure a page offers is visited too (checkShares);
// 5. every link met (pages, downloads, API; at most 3 of each kind)
//    answers 200; a browser asking in Spanish gets Spanish;
// 6. stops the server (SIGTERM) and checks it exited 0 with no sanitizer
//    report.
//
// Prints "ok   NAME" / "FAIL NAME: why" per check and "N passed, N failed";
// exits 1 when a check failed.
//
// Environment:
//   P20W_BIN          the binary (default build/san/p20w: the server runs
//                     under ASan + UBSan like every other test)
//   BROWSER_LEARNERS  learners of the synthetic state (default 2000: fewer
//                     leave the schools' and colleges' numbers all hidden,
//                     so their filters could show nothing)
//   BROWSER_DB        serve this database instead of building one
//   BROWSER_CHROMIUM  the browser (default /usr/bin/chromium)
//   BROWSER_ONLY      a substring: only page types whose path contains it
//   BROWSER_SHOTS     where the screenshots go (default build/screenshots)
//   BROWSER_JOBS      page types tested at once (default 1: on two cores
//                     more is no faster)
//   BROWSER_VERBOSE   1: print the server's log and the time per check
//   BROWSER_BASE      test the server already running at this URL (no
//                     database built, no server started or stopped; the
//                     harness's own test, selftest.mjs, uses it)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { Tally } from './harness.mjs';
import { gradeOfParts } from './fk.mjs';
import { checkRowShown, compareKeyedCsv, compareKeyedJson, compareRows, jsonRows, parseCsv, parseNumber } from './cells.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = path.resolve(ROOT, process.env.P20W_BIN || 'build/san/p20w');
const WORK = path.join(ROOT, 'build/browser');
const SHOTS = path.resolve(ROOT, process.env.BROWSER_SHOTS || 'build/screenshots');
const LEARNERS = process.env.BROWSER_LEARNERS || '2000';
const CHROMIUM = process.env.BROWSER_CHROMIUM || '/usr/bin/chromium';
const ONLY = process.env.BROWSER_ONLY || '';
const LANGS = ['en', 'es'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FK_MAX = 8;
const MAX_TYPES = 60;   // page types visited at most
const MAX_CRAWL = 300;  // pages fetched while discovering
const MAX_TABS = 400;   // Tab presses per page at most
const FILTER_TRIES = 3; // options tried per filter before giving up
const JOBS = Math.max(1, Number(process.env.BROWSER_JOBS || 1));

const t = new Tally('browser');
const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1);

// ---- the database and the server -------------------------------------------

function p20w(args, opts = {}) {
    const r = spawnSync(BIN, args, {
        cwd: WORK,
        env: { ...process.env, P20W_NO_PROGRESS: '1', P20W_DATA_DIR: path.join(ROOT, 'data') },
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        ...opts,
    });
    if (r.status !== 0) {
        throw new Error(`p20w ${args.join(' ')}: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${(r.stderr || '').slice(-2000)}`);
    }
    return r.stdout;
}

function buildDb() {
    if (process.env.BROWSER_DB) return path.resolve(process.env.BROWSER_DB);
    fs.rmSync(path.join(WORK, 'state'), { recursive: true, force: true });
    for (const f of ['s.db', 's.db-wal', 's.db-shm']) fs.rmSync(path.join(WORK, f), { force: true });
    p20w(['synth', '--out', 'state', '--learners', LEARNERS, '--seed', '1']);
    p20w(['init', 's.db']);
    p20w(['ingest', 's.db', '--dir', 'state']);
    p20w(['link', 's.db']);
    p20w(['build', 's.db']);
    return path.join(WORK, 's.db');
}

// `p20w serve DB --port 0` picks a free port and says which on its first
// line of output: "serving http://127.0.0.1:PORT/ ...".
async function startServer(db) {
    const logPath = path.join(WORK, 'serve.log');
    const log = fs.createWriteStream(logPath);
    const child = spawn(BIN, ['serve', db, '--bind', '127.0.0.1', '--port', '0'], {
        cwd: WORK,
        env: { ...process.env, P20W_NO_PROGRESS: '1', P20W_DATA_DIR: path.join(ROOT, 'data') },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = null;
    const done = new Promise((resolve) => child.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
    }));
    let out = '';
    child.stderr.pipe(log, { end: false });
    const base = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('p20w serve said nothing within 60 s')), 60000);
        child.stdout.on('data', (d) => {
            log.write(d);
            out += d;
            const m = /serving (http:\/\/[^/\s]+)\//.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve(m[1]);
            }
        });
        done.then((e) => {
            clearTimeout(timer);
            reject(new Error(`p20w serve exited (${JSON.stringify(e)}) before serving`));
        });
    }).catch(async (e) => {
        await new Promise((r) => log.end(r));
        throw new Error(`${e.message}: ${fs.readFileSync(logPath, 'utf8').slice(-2000)}`);
    });
    return {
        base,
        logPath,
        async stop() {
            if (!exited) child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
            const r = await done;
            clearTimeout(timer);
            await new Promise((res) => log.end(res));
            return r;
        },
    };
}

// ---- discovery ------------------------------------------------------------------

// A link a person follows to another page of the site, as a path + query.
function pageLink(base, href) {
    let u;
    try {
        u = new URL(href, base);
    } catch {
        return null;
    }
    if (u.origin !== new URL(base).origin) return null;
    const p = u.pathname;
    if (p.startsWith('/api/') || p.startsWith('/static/') || /\.(csv|json|svg|png|css|js|ico|txt|xml)$/.test(p)) return null;
    if (/^\/(login|logout|sign|auth)/.test(p)) return null;
    for (const k of ['format', 'download']) if (u.searchParams.has(k)) return null;
    u.searchParams.delete('lang');
    u.hash = '';
    return u.pathname + u.search;
}

// The type of a page: its path with every segment holding a digit (an id,
// a code, a year) replaced by ":id", query dropped.
export function pageType(p) {
    const pathOnly = p.split('?')[0];
    return pathOnly.split('/').map((s) => (/\d/.test(s) ? ':id' : s)).join('/') || '/';
}

// Every same-origin link met while discovering (pages, downloads, API),
// with the first page it was found on; checked by checkLinks.
const linksFound = new Map();

async function discover(base) {
    const seen = new Set();
    const types = new Map(); // type -> first path
    const queue = ['/'];
    try {
        const r = await fetch(`${base}/sitemap.xml`);
        if (r.ok) {
            const xml = await r.text();
            for (const m of xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)) {
                const p = pageLink(base, m[1].replace(/&amp;/g, '&'));
                if (p) queue.push(p);
            }
        }
    } catch { /* no sitemap */ }
    let fetched = 0;
    while (queue.length && fetched < MAX_CRAWL && types.size < MAX_TYPES) {
        const p = queue.shift();
        if (seen.has(p)) continue;
        seen.add(p);
        const ty = pageType(p);
        // one page per type is enough: the others have the same links
        if (types.has(ty)) continue;
        let r;
        try {
            r = await fetch(base + p, { redirect: 'manual' });
        } catch {
            continue;
        }
        fetched++;
        const ct = r.headers.get('content-type') || '';
        const body = await r.text();
        if (r.status !== 200 || !ct.startsWith('text/html')) continue;
        if (!types.has(ty)) types.set(ty, p);
        for (const m of body.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
            const href = m[1].replace(/&amp;/g, '&');
            try {
                const u = new URL(href, base + p);
                if (u.origin === new URL(base).origin) {
                    u.hash = '';
                    if (!linksFound.has(u.toString())) linksFound.set(u.toString(), p);
                }
            } catch { /* not a URL */ }
            const q = pageLink(base + p, href);
            if (q && !seen.has(q)) queue.push(q);
        }
    }
    return [...types.entries()].filter(([ty]) => !ONLY || ty.includes(ONLY));
}

// Every link of the site answers 200 (pages in both languages, CSV, API).
async function checkLinks() {
    await t.run('every link found answers 200', async () => {
        const broken = [];
        // at most 3 links of each kind (path type and parameter names):
        // the 300 feedback reports of a state are one kind
        const kinds = new Map();
        let n = 0;
        for (const [u, from] of linksFound) {
            const uu = new URL(u);
            const kind = `${pageType(uu.pathname)}?${[...uu.searchParams.keys()].sort().join('&')}`;
            kinds.set(kind, (kinds.get(kind) || 0) + 1);
            if (kinds.get(kind) > 3) continue;
            n++;
            const r = await fetch(u, { redirect: 'manual' });
            await r.arrayBuffer();
            if (r.status !== 200) broken.push(`${new URL(u).pathname}${new URL(u).search} (HTTP ${r.status}, linked from ${from})`);
        }
        if (broken.length) throw new Error(`${broken.length} of ${n} broken: ${broken.slice(0, 8).join('; ')}`);
        return `${n} of ${linksFound.size} links, at most 3 of each kind`;
    });
}

// ---- checks of one page -----------------------------------------------------------

function withLang(base, p, lang) {
    const u = new URL(p, base);
    u.searchParams.set('lang', lang);
    return u.toString();
}

// Listens to a page for console errors, CSP violations and failed requests.
function watch(page) {
    const w = { errors: [], csp: [], failed: [] };
    // a browser asks for /favicon.ico by itself; a site without one is fine
    const favicon = (u) => /\/favicon\.ico(\?|$)/.test(u || '');
    page.on('console', (m) => {
        const txt = m.text();
        if (favicon(m.location()?.url)) return;
        if (/Content.Security.Policy|Refused to (load|execute|apply|connect|frame)/i.test(txt)) w.csp.push(txt);
        else if (m.type() === 'error') w.errors.push(txt);
    });
    page.on('pageerror', (e) => w.errors.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => favicon(r.url()) || w.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => {
        if (r.status() >= 400 && !favicon(r.url())) w.failed.push(`${r.url()}: HTTP ${r.status()}`);
    });
    return w;
}

// Rows (header first) of every table of the page, with the CSV and JSON
// links that belong to it: the nearest ones walking up from the table.
async function tablesOf(page) {
    return page.evaluate(() => {
        const isCsv = (a) => {
            const h = a.getAttribute('href') || '';
            return /\.csv(\?|$)|[?&]format=csv\b/.test(h) || a.getAttribute('type') === 'text/csv';
        };
        const isJson = (a) => {
            const h = a.getAttribute('href') || '';
            return !isCsv(a) && !/openapi/.test(h) && (/^\/api\/v1\//.test(h) || /[?&]format=json\b/.test(h) || a.getAttribute('type') === 'application/json');
        };
        const text = (el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
        const nearest = (table, want) => {
            for (let a = table.parentElement; a; a = a.parentElement) {
                const links = [...a.querySelectorAll('a[href]')].filter(want);
                if (links.length === 0) {
                    if (a.tagName === 'MAIN') break; // not the site's header or footer
                    continue;
                }
                const tables = [...a.querySelectorAll('table')];
                const i = tables.indexOf(table);
                return (links.length === tables.length ? links[i] : links[0]).getAttribute('href');
            }
            return null;
        };
        return [...document.querySelectorAll('table')].map((table, i) => {
            const rows = [...table.querySelectorAll('tr')].map((tr) => [...tr.children]
                .filter((c) => c.tagName === 'TD' || c.tagName === 'TH')
                .map(text));
            const spans = table.querySelectorAll('[colspan]:not([colspan="1"]), [rowspan]:not([rowspan="1"])').length;
            const caption = table.caption ? text(table.caption) : (table.getAttribute('aria-label') || `table ${i + 1}`);
            const marks = [...table.querySelectorAll('abbr')].map(text);
            // rows that name their cell (data-key): see cells.mjs
            const keyed = [...table.querySelectorAll('tbody tr[data-key]')].map((tr) => ({
                attrs: { ...tr.dataset },
                cells: [...tr.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH').map(text),
            }));
            // a table with no data row, only a message across it
            const body = [...table.querySelectorAll('tbody tr')];
            const empty = keyed.length === 0 && body.length > 0 && body.every((tr) => tr.children.length === 1 && tr.children[0].colSpan > 1);
            const csv = nearest(table, isCsv);
            const json = nearest(table, isJson);
            // a table of published numbers (not, say, the data dictionary's
            // list of fields): rows naming cells, numeric cells marked
            // class="num", or a download of its own
            const numbers = keyed.length > 0 || table.querySelector('.num') !== null || csv !== null || json !== null;
            return { caption, rows, spans, marks, keyed: keyed.length || empty ? keyed : null, numbers, csv, json };
        });
    });
}

// The numbers the page shows: every table cell and chart label.
async function numbersShown(page) {
    return page.evaluate(() => [...document.querySelectorAll('table td, table th, svg text')]
        .map((e) => (e.textContent || '').trim()).join('|'));
}

async function fetchData(page, href, url, type) {
    const r = await page.request.get(new URL(href, url).toString());
    if (r.status() !== 200) throw new Error(`${href}: HTTP ${r.status()}`);
    const ct = r.headers()['content-type'] || '';
    if (!ct.startsWith(type)) throw new Error(`${href}: Content-Type ${ct}`);
    if (type === 'text/csv') {
        const cd = r.headers()['content-disposition'] || '';
        if (!/attachment/.test(cd)) throw new Error(`${href}: no Content-Disposition attachment (${cd})`);
        return parseCsv(await r.text());
    }
    return r.json();
}

// A table whose rows name their cells (cells.mjs): the row shows its own
// numbers, the CSV holds the same rows, the API the same cells.
async function checkKeyedTable(page, tn, tb, url, lang) {
    const shownDiffs = tb.keyed.flatMap((row) => checkRowShown(row, lang));
    t.check(`${tn} shows the numbers of its cells`, shownDiffs.length === 0, shownDiffs.slice(0, 5).join('; '),
        `${tb.keyed.length} rows`);
    if (!tb.csv) t.fail(`${tn} CSV = table`, 'no CSV download link near the table');
    else {
        await t.run(`${tn} CSV = table`, async () => {
            const diffs = compareKeyedCsv(tb.keyed, await fetchData(page, tb.csv, url, 'text/csv'));
            if (diffs.length) throw new Error(`${tb.csv}: ${diffs.join('; ')}`);
            return `${tb.keyed.length} rows`;
        });
    }
    if (!tb.json) t.fail(`${tn} JSON = table`, 'no JSON (API) link near the table');
    else {
        await t.run(`${tn} JSON = table`, async () => {
            // the page's link names the indicator and year; each table the
            // rows come from (their data-by) is asked for by name
            const byBy = new Map();
            for (const row of tb.keyed) {
                if (!byBy.has(row.attrs.by)) byBy.set(row.attrs.by, []);
                byBy.get(row.attrs.by).push(row);
            }
            const diffs = [];
            for (const [by, rows] of byBy) {
                const u = new URL(tb.json, url);
                if (by) u.searchParams.set('by', by);
                else u.searchParams.delete('by');
                const doc = await fetchData(page, u.pathname + u.search, url, 'application/json');
                if (!Array.isArray(doc.cells)) throw new Error(`${u.pathname}${u.search}: no "cells" array`);
                diffs.push(...compareKeyedJson(rows, doc.cells).map((d) => `${u.pathname}${u.search}: ${d}`));
            }
            if (diffs.length) throw new Error(diffs.slice(0, 5).join('; '));
            return `${tb.keyed.length} rows from ${byBy.size} tables`;
        });
    }
}

async function checkTables(page, base, name, url, lang) {
    const tables = await tablesOf(page);
    for (const tb of tables) {
        const tn = `${name} table "${tb.caption.slice(0, 60)}"`;
        if (!tb.numbers) continue; // text, not published numbers
        if (tb.keyed) {
            await checkKeyedTable(page, tn, tb, url, lang);
            continue;
        }
        if (!tb.csv) {
            t.fail(`${tn} CSV = table`, 'no CSV download link near the table');
        } else if (tb.spans) {
            t.fail(`${tn} CSV = table`, `${tb.spans} cells span rows or columns and the rows do not name their cells (data-key): a CSV cannot be matched with it`);
        } else {
            await t.run(`${tn} CSV = table`, async () => {
                const r = await page.request.get(new URL(tb.csv, url).toString());
                if (r.status() !== 200) throw new Error(`${tb.csv}: HTTP ${r.status()}`);
                const ct = r.headers()['content-type'] || '';
                if (!ct.startsWith('text/csv')) throw new Error(`${tb.csv}: Content-Type ${ct}`);
                const cd = r.headers()['content-disposition'] || '';
                if (!/attachment/.test(cd)) throw new Error(`${tb.csv}: no Content-Disposition attachment (${cd})`);
                const diffs = compareRows(tb.rows, parseCsv(await r.text()), tb.marks);
                if (diffs.length) throw new Error(`${tb.csv}: ${diffs.join('; ')}`);
                return `${tb.rows.length} rows`;
            });
        }
        if (!tb.json) {
            t.fail(`${tn} JSON = table`, 'no JSON (API) link near the table');
        } else if (!tb.spans) {
            await t.run(`${tn} JSON = table`, async () => {
                const r = await page.request.get(new URL(tb.json, url).toString());
                if (r.status() !== 200) throw new Error(`${tb.json}: HTTP ${r.status()}`);
                const ct = r.headers()['content-type'] || '';
                if (!ct.startsWith('application/json')) throw new Error(`${tb.json}: Content-Type ${ct}`);
                // the API's column names are for programs (and the same in
                // every language): the header row is not compared, the
                // number of columns and every body cell are
                const data = jsonRows(await r.json());
                const diffs = compareRows(tb.rows.slice(1), data.slice(1), tb.marks);
                if (data.length && tb.rows.length && data[0].length !== tb.rows[0].length) {
                    diffs.unshift(`${tb.rows[0].length} columns on the page, ${data[0].length} in the JSON`);
                }
                if (diffs.length) throw new Error(`${tb.json}: ${diffs.join('; ')}`);
                return `${tb.rows.length} rows`;
            });
        }
    }
    return tables.filter((tb) => tb.numbers).length;
}

async function checkAxe(page, name, axeSource) {
    await t.run(`${name} axe WCAG 2.1 AA`, async () => {
        // evaluated through the DevTools protocol: not an inline script,
        // so the page's CSP does not (and must not) allow it
        await page.evaluate(axeSource);
        const v = await page.evaluate(async (tags) => {
            const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return res.violations.map((x) => `${x.id} (${x.impact}, ${x.nodes.length}x: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`);
        }, AXE_TAGS);
        stats.axe += v.length;
        if (v.length) throw new Error(`${v.length} violations: ${v.join('; ')}`);
        return '0 violations';
    });
}

async function checkKeyboard(page, name) {
    await t.run(`${name} keyboard reaches every control`, async () => {
        const n = await page.evaluate(() => {
            const sel = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true]';
            let i = 0;
            for (const el of document.querySelectorAll(sel)) {
                if (el.disabled || el.getAttribute('tabindex') === '-1') continue;
                if (el.getClientRects().length === 0) continue; // not rendered
                if (el.closest('[inert], [hidden], details:not([open]) > :not(summary)')) continue;
                // radios: one stop per group
                if (el.type === 'radio') {
                    const group = el.form ? el.form.elements[el.name] : document.getElementsByName(el.name);
                    if (group && group[0] !== el && group.length) {
                        el.dataset.kbGroup = el.name;
                        continue;
                    }
                    el.dataset.kbGroup = el.name;
                }
                el.dataset.kb = String(i++);
            }
            document.activeElement?.blur?.();
            return i;
        });
        // a focusin listener records each stop; Tab is pressed n + 5 times
        await page.evaluate(() => {
            window.__kb = [];
            document.addEventListener('focusin', (e) => {
                const el = e.target;
                const id = el.dataset?.kb ?? (el.dataset?.kbGroup ? `radio:${el.dataset.kbGroup}` : null);
                const cs = getComputedStyle(el);
                const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
                window.__kb.push({ id, ring, what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${(el.innerText || el.name || '').trim().slice(0, 30)}` });
            });
        });
        for (let k = 0; k < Math.min(MAX_TABS, n + 5); k++) await page.keyboard.press('Tab');
        const stops = await page.evaluate(() => window.__kb);
        const seen = new Set(stops.map((f) => f.id).filter((id) => id !== null && id !== undefined));
        const noRing = stops.filter((f) => !f.ring).map((f) => f.what);
        const missed = await page.evaluate((seenIds) => [...document.querySelectorAll('[data-kb]')]
            .filter((el) => !seenIds.includes(el.dataset.kb) && !(el.dataset.kbGroup && seenIds.includes(`radio:${el.dataset.kbGroup}`)))
            .map((el) => `${el.tagName.toLowerCase()} ${(el.innerText || el.name || el.getAttribute('href') || '').trim().slice(0, 30)}`), [...seen]);
        if (missed.length) throw new Error(`${missed.length} of ${n} controls never focused: ${missed.slice(0, 5).join('; ')}`);
        if (noRing.length) throw new Error(`focus not visible on: ${[...new Set(noRing)].slice(0, 5).join('; ')}`);
        return `${n} controls`;
    });
}

// Each filter (a <select> or radio group in a GET form) is set to another
// value and the form submitted with its button, as a person would; the
// numbers shown must change for at least one of the first FILTER_TRIES
// other values, the choice must be kept, and the language too.
// The filters of the page: every <select> and radio group of a GET form.
async function readFilters(page) {
    return page.evaluate(() => {
        const out = [];
        document.querySelectorAll('form').forEach((f, fi) => {
            if ((f.getAttribute('method') || 'get').toLowerCase() !== 'get') return;
            for (const s of f.querySelectorAll('select[name]')) {
                out.push({ form: fi, name: s.name, kind: 'select', current: s.value, values: [...s.options].map((o) => o.value) });
            }
            const radios = new Map();
            for (const r of f.querySelectorAll('input[type=radio][name]')) {
                if (!radios.has(r.name)) radios.set(r.name, { form: fi, name: r.name, kind: 'radio', current: null, values: [] });
                const g = radios.get(r.name);
                g.values.push(r.value);
                if (r.checked) g.current = r.value;
            }
            out.push(...radios.values());
        });
        return out;
    });
}

// Sets filter f to v and submits its form with its button; the response.
async function submitFilter(page, f, v) {
    const form = page.locator('form').nth(f.form);
    if (f.kind === 'select') await form.locator(`select[name="${f.name}"]`).selectOption(v);
    else await form.locator(`input[type=radio][name="${f.name}"][value="${v}"]`).check();
    const submit = form.locator('button[type=submit], button:not([type]), input[type=submit]');
    if (await submit.count() === 0) throw new Error('the filter form has no submit button');
    const [resp] = await Promise.all([page.waitForNavigation(), submit.first().click()]);
    return resp;
}

// The values of filter f worth trying first: those the API publishes a
// number for. p20w's API link on the page (/api/v1/cells?indicator=&year=)
// is asked for the table of the filter's dimension (the part of the value
// before ':', "region:CZ 108", else the filter's name); values with a
// published cell come first. Without such a link, the page's order.
async function preferPublished(page, url, href, f) {
    if (!href) return f.values;
    const split = (v) => (v.includes(':') ? [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)] : [f.name, v]);
    const published = new Map();
    for (const dim of new Set(f.values.filter((v) => v !== '').map((v) => split(v)[0]))) {
        const u = new URL(href, url);
        u.searchParams.set('by', dim);
        try {
            const r = await page.request.get(u.toString());
            if (r.status() !== 200) continue;
            const doc = await r.json();
            published.set(dim, new Set((doc.cells || []).filter((c) => c.status === 'P').map((c) => String(c[dim]))));
        } catch { /* no such table: page order */ }
    }
    const good = (v) => v !== '' && published.get(split(v)[0])?.has(split(v)[1]);
    return [...f.values.filter(good), ...f.values.filter((v) => !good(v))];
}

async function checkFilters(page, base, name, url, lang) {
    await page.goto(url);
    let start = url;
    let filters = await readFilters(page);
    if (filters.length && (await numbersShown(page)) === '') {
        // The page opens on a choice with nothing published (a measure not
        // built yet): no other filter can change its numbers. Start from
        // the first value of the first filter that shows numbers.
        const f0 = filters[0];
        for (const v of f0.values.filter((x) => x !== f0.current)) {
            await page.goto(url);
            const resp = await submitFilter(page, f0, v).catch(() => null);
            if (resp && resp.status() === 200 && (await numbersShown(page)) !== '') {
                start = page.url();
                break;
            }
        }
        await page.goto(start);
        filters = await readFilters(page);
        console.log(`note ${name}: the page opens with no number shown; filters tested from ${new URL(start).search}`);
    }
    const moved = start !== url;
    url = start;
    const apiHref = await page.evaluate(() => document.querySelector('main a[href^="/api/v1/cells"]')?.getAttribute('href'));
    let at = url; // where the page is: no reload needed to start from there
    for (const f of filters) {
        await t.run(`${name} filter "${f.name}" changes the numbers`, async () => {
            const others = (await preferPublished(page, url, apiHref, f)).filter((v) => v !== f.current).slice(0, FILTER_TRIES);
            if (others.length === 0) return `one value only (${f.current}): nothing to choose`;
            const tried = [];
            for (const v of others) {
                if (at !== url) await page.goto(url);
                const before = await numbersShown(page);
                at = null;
                const resp = await submitFilter(page, f, v);
                if (!resp || resp.status() !== 200) {
                    const msg = await page.evaluate(() => (document.querySelector('main') || document.body)?.innerText?.trim()?.slice(0, 160) || '');
                    throw new Error(`submitting ${f.name}=${v} answers HTTP ${resp && resp.status()} (${new URL(page.url()).search}): ${msg}`);
                }
                const after = await numbersShown(page);
                const here = new URL(page.url());
                if (here.searchParams.get(f.name) !== v) throw new Error(`the URL after submitting does not carry ${f.name}=${v}: ${here.pathname}${here.search}`);
                const lg = await page.getAttribute('html', 'lang');
                if (lg !== lang) throw new Error(`the language is lost: <html lang="${lg}"> after submitting`);
                const kept = await page.evaluate(({ nm, kind }) => (kind === 'select'
                    ? document.querySelector(`select[name="${nm}"]`)?.value
                    : document.querySelector(`input[type=radio][name="${nm}"]:checked`)?.value), { nm: f.name, kind: f.kind });
                if (kept !== v) throw new Error(`the page does not show the choice ${f.name}=${v} (shows ${kept})`);
                if (after !== before) return `${f.name}=${v}`;
                tried.push(v);
            }
            throw new Error(`the numbers shown are the same for ${f.name} = ${[f.current, ...tried].join(', ')}`);
        });
    }
    return { count: filters.length, start: moved ? start : null };
}

async function explainParts(page) {
    return page.evaluate(() => {
        const parts = [];
        for (const e of document.querySelectorAll('.explain')) {
            const blocks = e.querySelectorAll('p, li, dd, dt, h1, h2, h3, h4, h5, h6, caption, figcaption');
            if (blocks.length === 0) parts.push(e.innerText);
            else blocks.forEach((b) => parts.push(b.innerText));
        }
        return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p);
    });
}

const stats = { axe: 0, pages: 0, tables: 0, filters: 0, fk: [], phase: {} };

async function checkPage(browser, base, ty, p, axeSource, english) {
    for (const lang of LANGS) {
        const name = `${ty} [${lang}]`;
        const url = withLang(base, p, lang);
        let tp = Date.now();
        const phase = (what) => {
            stats.phase[what] = (stats.phase[what] || 0) + (Date.now() - tp);
            tp = Date.now();
        };
        const ctx = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US', viewport: { width: 1280, height: 900 } });
        const page = await ctx.newPage();
        const w = watch(page);
        try {
            const resp = await page.goto(url);
            stats.pages++;
            if (!t.check(`${name} loads`, resp && resp.status() === 200, `HTTP ${resp && resp.status()}`, p)) continue;
            const lg = await page.getAttribute('html', 'lang');
            t.check(`${name} <html lang="${lang}">`, lg === lang, `<html lang="${lg}">`);
            const csp = (await resp.allHeaders())['content-security-policy'] || '';
            const scriptSrc = (/script-src([^;]*)/.exec(csp) || /default-src([^;]*)/.exec(csp) || [])[1] || '';
            t.check(`${name} CSP without inline script`, csp !== '' && /default-src|script-src/.test(csp) && !/unsafe-inline|unsafe-eval/.test(scriptSrc),
                `Content-Security-Policy: ${csp || '(none)'}`);
            const title = await page.title();
            const h1 = await page.evaluate(() => document.querySelector('h1')?.innerText?.trim() || '');
            t.check(`${name} has a title and one h1`, title !== '' && h1 !== '' &&
                (await page.locator('h1').count()) === 1, `title "${title}", h1 "${h1}"`);
            if (lang === 'en') english.set(p, { title, h1 });
            else {
                const en = english.get(p);
                if (en) t.check(`${name} is translated`, title !== en.title || h1 !== en.h1, `title and h1 the same as in English: "${h1}"`);
            }
            phase('load');
            fs.mkdirSync(SHOTS, { recursive: true });
            const slug = (ty === '/' ? 'home' : ty.replace(/^\//, '').replace(/[^A-Za-z0-9]+/g, '_')) + `-${lang}.png`;
            await page.screenshot({ path: path.join(SHOTS, slug), fullPage: true });

            phase('screenshot');
            await checkAxe(page, name, axeSource);
            phase('axe');

            const parts = await explainParts(page);
            const hasTable = (await page.locator('table').count()) > 0;
            if (parts.length === 0) {
                if (hasTable) t.fail(`${name} explanatory text`, 'a page with numbers and no element of class "explain"');
            } else if (lang === 'en') {
                const g = gradeOfParts(parts);
                stats.fk.push({ page: ty, grade: g.grade, words: g.words });
                t.check(`${name} explanatory text at FK grade <= ${FK_MAX}`, g.grade <= FK_MAX,
                    `grade ${g.grade.toFixed(1)} (${g.words} words, ${g.sentences} sentences, ${g.syllables} syllables): "${parts.join(' ').slice(0, 160)}…"`,
                    `grade ${g.grade.toFixed(1)}, ${g.words} words`);
                english.get(p).explain = parts.join(' ');
            } else {
                const en = english.get(p);
                if (en && en.explain) t.check(`${name} explanatory text is translated`, parts.join(' ') !== en.explain, 'the same text as in English');
            }

            phase('explain');
            const nTables = await checkTables(page, base, name, url, lang);
            stats.tables += nTables;
            phase('tables');
            await checkKeyboard(page, name);
            phase('keyboard');
            const fl = await checkFilters(page, base, name, url, lang);
            phase('filters');
            stats.filters += fl.count;
            if (nTables === 0 && fl.start) {
                // the tables of the first choice that shows numbers
                await page.goto(fl.start);
                stats.tables += await checkTables(page, base, name, fl.start, lang);
            }

            t.check(`${name} no console error`, w.errors.length === 0, [...new Set(w.errors)].slice(0, 3).join(' | '));
            t.check(`${name} no CSP violation`, w.csp.length === 0, [...new Set(w.csp)].slice(0, 3).join(' | '));
            t.check(`${name} no failed request`, w.failed.length === 0, [...new Set(w.failed)].slice(0, 3).join(' | '));
        } catch (e) {
            t.fail(`${name}`, `stopped: ${e.message.split('\n')[0]}`);
        } finally {
            await ctx.close();
        }
    }
}

// Share indicators (statistic SHARE in /api/v1/indicators) are tables of
// counts: per group its size, then one row per category. A page type shows
// one measure at a time, so discovery meets them only when a page opens on
// one: each share measure a page offers is visited here (OUTCOME_Y1 by race
// too), in both languages, with the checks of every page (axe, reading
// grade, table = CSV = API) and its own: a category's share is a percent
// from 0 to 100, a group's size is a count, never a percent; the chart
// names each category in text.
async function checkShares(browser, base, types, axeSource) {
    let shares;
    try {
        const r = await fetch(`${base}/api/v1/indicators`);
        const doc = r.ok && /json/.test(r.headers.get('content-type') || '') ? await r.json() : null;
        if (!doc || !Array.isArray(doc.indicators)) {
            console.log('note share measures: the site has no /api/v1/indicators listing statistics; none visited');
            return;
        }
        shares = new Set(doc.indicators.filter((i) => i.statistic === 'SHARE').map((i) => i.id));
    } catch (e) {
        t.fail('share measures listed by the API', e.message);
        return;
    }
    const visits = [];
    const seen = new Set();
    for (const [, p] of types) {
        const pathOnly = p.split('?')[0];
        let html;
        try {
            html = await (await fetch(base + pathOnly)).text();
        } catch {
            continue;
        }
        const sel = /<select[^>]*name="indicator"[^>]*>([\s\S]*?)<\/select>/.exec(html);
        if (!sel) continue;
        for (const m of sel[1].matchAll(/<option value="([^"]+)"/g)) {
            if (!shares.has(m[1]) || seen.has(m[1])) continue;
            seen.add(m[1]);
            visits.push(`${pathOnly}?indicator=${m[1]}`);
            if (m[1] === 'OUTCOME_Y1') visits.push(`${pathOnly}?indicator=OUTCOME_Y1&group=race`);
        }
    }
    t.check('share measures offered by the pages', visits.length > 0, 'no page offers a share measure', `${seen.size}: ${[...seen].join(' ')}`);
    for (const p of visits) {
        for (const lang of LANGS) {
            const name = `${p} [${lang}]`;
            const ctx = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US', viewport: { width: 1280, height: 900 } });
            const page = await ctx.newPage();
            const w = watch(page);
            const url = withLang(base, p, lang);
            try {
                const resp = await page.goto(url);
                stats.pages++;
                if (!t.check(`${name} loads`, resp && resp.status() === 200, `HTTP ${resp && resp.status()}`)) continue;
                fs.mkdirSync(SHOTS, { recursive: true });
                await page.screenshot({ path: path.join(SHOTS, `${p.replace(/^\//, '').replace(/[^A-Za-z0-9]+/g, '_')}-${lang}.png`), fullPage: true });
                await checkAxe(page, name, axeSource);
                if (lang === 'en') {
                    const g = gradeOfParts(await explainParts(page));
                    stats.fk.push({ page: p, grade: g.grade, words: g.words });
                    t.check(`${name} explanatory text at FK grade <= ${FK_MAX}`, g.grade <= FK_MAX, `grade ${g.grade.toFixed(1)}`, `grade ${g.grade.toFixed(1)}`);
                }
                const rows = await page.evaluate(() => [...document.querySelectorAll('tbody tr[data-category]')].map((tr) => ({
                    category: tr.dataset.category,
                    cells: [...tr.children].map((c) => (c.innerText || '').trim()),
                })));
                if (rows.length === 0 && (await page.locator('tbody tr[data-key]').count()) === 0) {
                    // nothing of it is published in this state: the page
                    // says so (its note), there is no table to check
                    console.log(`note ${name}: nothing published, no share table`);
                    continue;
                }
                await t.run(`${name} share rows: shares are percents of 0..100, group sizes are counts`, async () => {
                    if (rows.length === 0) throw new Error('no share row (tr[data-category]) in the table');
                    const bad = [];
                    for (const r of rows) {
                        const pcts = r.cells.filter((c) => /%$/.test(c) && !/[≥≤]/.test(c)).map((c) => parseNumber(c, lang));
                        if (r.category === '' && r.cells.some((c) => /%/.test(c))) bad.push(`group total shown as a percent: ${r.cells.join(' | ')}`);
                        for (const x of pcts) if (!x || x.value < 0 || x.value > 100) bad.push(`share out of 0..100: ${r.cells.join(' | ')}`);
                    }
                    if (bad.length) throw new Error(bad.slice(0, 3).join('; '));
                    return `${rows.length} rows, ${rows.filter((r) => r.category === '').length} groups`;
                });
                // a label too long for the chart is shortened, its full
                // text in a <title> child
                const chart = await page.evaluate(() => [...document.querySelectorAll('figure svg text')]
                    .map((e) => (e.querySelector('title') || e).textContent.trim()));
                const cats = await page.evaluate(() => [...new Set([...document.querySelectorAll('tbody tr[data-category]:not([data-category=""]) td:first-of-type')].map((e) => e.innerText.trim()))]);
                t.check(`${name} chart names each category in text`, cats.every((c) => chart.includes(c)),
                    `categories not in the chart: ${cats.filter((c) => !chart.includes(c)).slice(0, 3).join('; ')}`, `${cats.length} categories`);
                stats.tables += await checkTables(page, base, name, url, lang);
                t.check(`${name} no console error`, w.errors.length === 0, [...new Set(w.errors)].slice(0, 3).join(' | '));
                t.check(`${name} no CSP violation`, w.csp.length === 0, [...new Set(w.csp)].slice(0, 3).join(' | '));
                t.check(`${name} no failed request`, w.failed.length === 0, [...new Set(w.failed)].slice(0, 3).join(' | '));
            } catch (e) {
                t.fail(`${name}`, `stopped: ${e.message.split('\n')[0]}`);
            } finally {
                await ctx.close();
            }
        }
    }
}

// The server picks the language from Accept-Language when ?lang= is absent.
async function checkNegotiation(browser, base) {
    for (const [locale, want] of [['es-MX', 'es'], ['en-GB', 'en']]) {
        const ctx = await browser.newContext({ locale });
        const page = await ctx.newPage();
        await t.run(`Accept-Language ${locale} gives <html lang="${want}">`, async () => {
            await page.goto(`${base}/`);
            const lg = await page.getAttribute('html', 'lang');
            if (lg !== want) throw new Error(`<html lang="${lg}">`);
        });
        await ctx.close();
    }
}

// ---- main ---------------------------------------------------------------------------

async function main() {
    fs.mkdirSync(WORK, { recursive: true });
    // this run's screenshots only
    fs.rmSync(SHOTS, { recursive: true, force: true });
    if (process.env.BROWSER_BASE) {
        await checkSite(process.env.BROWSER_BASE.replace(/\/$/, ''));
        return summary();
    }
    if (!fs.existsSync(BIN)) {
        t.fail('p20w binary', `${BIN} missing: make build/san/p20w`);
        return t.finish();
    }
    let db;
    try {
        db = buildDb();
        t.ok('synthetic state built', process.env.BROWSER_DB ? `given: ${db}` : `${LEARNERS} learners, ${secs()} s`);
    } catch (e) {
        t.fail('synthetic state built', e.message);
        return t.finish();
    }
    let server;
    try {
        server = await startServer(db);
        t.ok('p20w serve answers', server.base);
    } catch (e) {
        t.fail('p20w serve answers', e.message);
        return t.finish();
    }
    try {
        await checkSite(server.base);
    } finally {
        const ex = await server.stop();
        const log = fs.readFileSync(server.logPath, 'utf8');
        const san = /AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer/.test(log);
        t.check('p20w serve stops cleanly on SIGTERM, no sanitizer report', ex.code === 0 && !san,
            `exit ${JSON.stringify(ex)}; ${san ? 'sanitizer report in' : 'see'} ${server.logPath}: ${log.slice(-1500)}`);
        if (process.env.BROWSER_VERBOSE === '1') process.stdout.write(log);
    }
    return summary();
}

function summary() {
    const fk = stats.fk.length
        ? `FK grades ${Math.min(...stats.fk.map((f) => f.grade)).toFixed(1)}..${Math.max(...stats.fk.map((f) => f.grade)).toFixed(1)}`
        : 'no explanatory text graded';
    if (process.env.BROWSER_VERBOSE === '1') {
        console.log(`time per check: ${Object.entries(stats.phase).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
    }
    console.log(`browser: ${stats.pages} page loads, ${stats.tables} tables, ${stats.filters} filters, ${stats.axe} axe violations, ${fk}, screenshots in ${path.relative(ROOT, SHOTS)}/, ${secs()} s`);
    return t.finish();
}

async function checkSite(base) {
    let browser;
    try {
        const axeSource = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
        let t1 = Date.now();
        const types = await discover(base);
        stats.phase.discovery = Date.now() - t1;
        t.check('page types discovered', types.length > 0, 'no page found from /', `${types.length}: ${types.map(([ty]) => ty).join(' ')}`);
        const english = new Map();
        // BROWSER_JOBS page types at a time (each in its own browser
        // context; a page type's English comes before its Spanish)
        const queue = [...types];
        const worker = async () => {
            while (queue.length) {
                const [ty, p] = queue.shift();
                await checkPage(browser, base, ty, p, axeSource, english);
            }
        };
        await Promise.all(Array.from({ length: JOBS }, worker));
        await checkShares(browser, base, types, axeSource);
        if (!ONLY) {
            t1 = Date.now();
            await checkLinks();
            stats.phase.links = Date.now() - t1;
            await checkNegotiation(browser, base);
        }
    } catch (e) {
        t.fail('browser run', e.stack || e.message);
    } finally {
        if (browser) await browser.close();
    }
}

process.exitCode = await main();
