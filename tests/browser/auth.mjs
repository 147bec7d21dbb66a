// The signed-in side of `p20w serve` (Governed access, docs/access.md) in a
// real browser: Debian's chromium driven by playwright-core against the
// real server (sanitizer build).
//
//   node tests/browser/auth.mjs            (tests/run.sh browser runs it)
//
// 1. builds a small synthetic state (synth 300 learners, init, ingest,
//    link, build) under build/browser-auth/ and keeps it as base.db; each
//    run copies it to t.db and adds with the command line: an agreement
//    (active) and one account per role: an admin, a practitioner of one
//    school, a data steward of the SEA, a researcher bound to the
//    agreement (who has made one extract under it);
// 2. starts `p20w serve t.db --port 0`;
// 3. for each role, in English and in Spanish, as a person would: signs
//    in through the form, then visits every page the role can reach by
//    following links from /me (and from each page reached: /me/*,
//    /admin/*, /assess*; at most 2 pages of each kind, e.g. two learner
//    records); a practitioner also looks a learner up with the POST form.
//    On every page: 200, <html lang>, one h1, "Signed in as" the user,
//    translated (Spanish h1 not the English one), axe-core finds no
//    violation of WCAG 2.0/2.1 A and AA, a screenshot in build/screenshots/
//    (auth-ROLE-PAGE-LANG.png), every POST form carries the session's CSRF
//    token (GET forms change nothing and need none), and no direct
//    identifier of the synthetic state's files is in the page or in any
//    URL (see checkIdentifiers); no console error, CSP violation or
//    failed request;
// 4. sign-out: a sign-out form stripped of its CSRF token is refused (403)
//    and the user stays signed in; the real sign-out ends the session: the
//    cookie is gone, the back button shows no signed-in content, and the
//    old cookie sent again by another browser gets the sign-in page (/me)
//    or the 403 page that asks to sign in (every other page);
// 5. each role, signed in again (both languages), gets 403 for every page
//    only another role saw; learner links from an earlier session get 403;
//    the practitioner gets 403 for another school's numbers and learners
//    and for looking up a learner of that school; the 403 page passes axe;
//    a visitor who is not signed in gets the sign-in page or 403 for every
//    signed-in page;
// 6. stops the server and checks it exited 0 with no sanitizer report.
//
// Prints "ok   NAME" / "FAIL NAME: why" per check and "N passed, N failed";
// exits 1 when a check failed.
//
// Environment:
//   P20W_BIN            the binary (default build/san/p20w)
//   BROWSER_CHROMIUM    the browser (default /usr/bin/chromium)
//   BROWSER_SHOTS       where the screenshots go (default build/screenshots)
//   BROWSER_AUTH_REUSE  1: reuse build/browser-auth/base.db and its state
//                       files when present (no synth, ingest, link, build)
//   BROWSER_ONLY_ROLE   admin, practitioner, steward or researcher: only it
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { Tally } from './harness.mjs';
import { parseCsv } from './cells.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = path.resolve(ROOT, process.env.P20W_BIN || 'build/san/p20w');
const WORK = path.join(ROOT, 'build/browser-auth');
const SHOTS = path.resolve(ROOT, process.env.BROWSER_SHOTS || 'build/screenshots');
const CHROMIUM = process.env.BROWSER_CHROMIUM || '/usr/bin/chromium';
const REUSE = process.env.BROWSER_AUTH_REUSE === '1';
const ONLY_ROLE = process.env.BROWSER_ONLY_ROLE || '';
const LANGS = ['en', 'es'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PER_KIND = 2;     // pages of one kind visited (two learner records, ...)
const MAX_PAGES = 40;   // pages visited per role and language at most
const SIGNED_IN = /^\/(me|admin|assess)(\/|$)/;

// Account names that are nobody's first or last name, so that the check
// for names in a page cannot mistake the users table for a leak.
const ROLES = [
    { key: 'admin', user: 'adm-ky1', pw: 'Granite-Pelican-Orbit-5821', args: ['--role', 'admin'] },
    { key: 'practitioner', user: 'prac-s1', pw: 'Velvet-Harbor-Cactus-3307', args: ['--role', 'practitioner', '--scope', 'school:$A'] },
    { key: 'steward', user: 'stew-sea1', pw: 'Maple-Thunder-Bishop-6630', args: ['--role', 'steward', '--agency', 'SEA'] },
    { key: 'researcher', user: 'res-dsa1', pw: 'Saffron-Glacier-Piano-4418', args: ['--role', 'researcher', '--dsa', '1'] },
].filter((r) => !ONLY_ROLE || r.key === ONLY_ROLE);

const t = new Tally('auth');
const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1);
const stats = { pages: 0, axe: 0, axePages: 0, forms: 0, getForms: 0, denied: 0, idChecks: 0, perLang: { en: 0, es: 0 } };

// ---- the state, the accounts, the server ------------------------------------------

function run(cmd, args, input) {
    const r = spawnSync(cmd, args, {
        cwd: WORK, input, encoding: 'utf8', maxBuffer: 64 << 20,
        env: { ...process.env, P20W_NO_PROGRESS: '1', P20W_DATA_DIR: path.join(ROOT, 'data') },
    });
    if (r.status !== 0)
        throw new Error(`${path.basename(cmd)} ${args.join(' ')}: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${(r.stderr || '').slice(-1500)}`);
    return r.stdout;
}
const p20w = (args, input) => run(BIN, args, input);
const sql = (q) => run('sqlite3', ['t.db', q]).trim();

// Facts about t.db the checks need (the same choices as cases 0810/0811).
const facts = {};

function buildState() {
    const have = fs.existsSync(path.join(WORK, 'base.db')) && fs.existsSync(path.join(WORK, 'state/k12_students.csv'));
    let how = 'reused build/browser-auth/base.db';
    if (!(REUSE && have)) {
        fs.rmSync(WORK, { recursive: true, force: true });
        fs.mkdirSync(WORK, { recursive: true });
        p20w(['synth', '--out', 'state', '--learners', '300', '--seed', '11']);
        p20w(['init', 'base.db']);
        p20w(['ingest', 'base.db', '--dir', 'state']);
        p20w(['link', 'base.db']);
        p20w(['build', 'base.db']);
        how = '300 learners, seed 11';
    }
    for (const f of ['t.db', 't.db-wal', 't.db-shm', 't.db.key']) fs.rmSync(path.join(WORK, f), { force: true });
    run('sqlite3', ['base.db', '.backup t.db']);
    if (fs.existsSync(path.join(WORK, 'base.db.key'))) {
        fs.copyFileSync(path.join(WORK, 'base.db.key'), path.join(WORK, 't.db.key'));
        fs.chmodSync(path.join(WORK, 't.db.key'), 0o600);
    }
    // school A (most linked learners), its district, school B in another
    // district; a learner only ever at B
    const linked = "stg_k12_students t JOIN person_links l ON l.source = 'k12_students' AND l.record_key = t.student_id";
    facts.A = sql(`SELECT t.school_id FROM ${linked} GROUP BY 1 ORDER BY count(DISTINCT t.student_id) DESC, 1 LIMIT 1`);
    facts.DA = sql(`SELECT district_id FROM stg_k12_schools WHERE school_id = '${facts.A}' LIMIT 1`);
    facts.B = sql(`SELECT t.school_id FROM ${linked} JOIN stg_k12_schools sc ON sc.school_id = t.school_id WHERE sc.district_id <> '${facts.DA}' GROUP BY 1 ORDER BY count(DISTINCT t.student_id) DESC, 1 LIMIT 1`);
    facts.SB = sql(`SELECT t.student_id FROM ${linked} GROUP BY 1 HAVING min(t.school_id) = max(t.school_id) AND min(t.school_id) = '${facts.B}' ORDER BY 1 LIMIT 1`);
    if (!facts.A || !facts.B || !facts.SB) throw new Error(`no schools A and B in the state: ${JSON.stringify(facts)}`);
    p20w(['dsa', 't.db', 'add', '--purpose', 'Pathways of graduates', '--parties', 'State University',
        '--elements', 'k12_students.race_ethnicity,ui_wages.wages',
        '--start', '2020-01-01', '--end', '2099-12-31', '--destroy', '2100-06-30']);
    for (const r of ROLES)
        p20w(['user', 't.db', 'add', r.user, ...r.args.map((a) => a.replace('$A', facts.A)), '--password-stdin'], `${r.pw}\n`);
    badSubmission();
    if (ROLES.some((r) => r.key === 'researcher')) {
        fs.rmSync(path.join(WORK, 'x1'), { recursive: true, force: true });
        p20w(['extract', 't.db', '--dsa', '1', '--out', 'x1', '--as', 'res-dsa1']);
    }
    return how;
}

// The SEA sends a K-12 file with direct identifiers written wrong: real
// birth dates as YYYY/MM/DD, real SSNs as 3-2-4 digits (and grades out of
// the code set). Three rows in four are bad, so nothing is loaded (the
// live submissions stay as they are), and the steward's newest report
// lists every bad value: masked, never as sent.
function badSubmission() {
    const rows = parseCsv(fs.readFileSync(path.join(WORK, 'state/k12_students.csv'), 'utf8')).filter((r) => r.length > 1);
    const head = rows[0];
    const col = (c) => head.indexOf(c);
    const out = [head];
    for (const [i, r0] of rows.slice(1, 41).entries()) {
        const r = [...r0];
        if (i % 4 === 0) r[col('birth_date')] = r[col('birth_date')].replace(/-/g, '/');
        if (i % 4 === 1) r[col('ssn')] = /^\d{9}$/.test(r[col('ssn')]) ? r[col('ssn')].replace(/^(\d{3})(\d{2})/, '$1-$2-') : '12-345';
        if (i % 4 === 2) r[col('grade_level')] = '99';
        out.push(r);
    }
    const csv = out.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';
    fs.mkdirSync(path.join(WORK, 'bad'), { recursive: true });
    fs.writeFileSync(path.join(WORK, 'bad/k12_students.csv'), csv);
    const r = spawnSync(BIN, ['ingest', 't.db', 'bad/k12_students.csv'], { cwd: WORK, encoding: 'utf8',
        env: { ...process.env, P20W_NO_PROGRESS: '1', P20W_DATA_DIR: path.join(ROOT, 'data') } });
    if (r.status !== 1 || !/REJECTED/.test(r.stdout)) throw new Error(`the bad K-12 file: exit ${r.status}: ${r.stdout.slice(0, 300)} ${r.stderr.slice(-500)}`);
}

async function startServer() {
    const logPath = path.join(WORK, 'serve.log');
    const log = fs.createWriteStream(logPath);
    const child = spawn(BIN, ['serve', 't.db', '--bind', '127.0.0.1', '--port', '0'], {
        cwd: WORK,
        env: { ...process.env, P20W_NO_PROGRESS: '1', P20W_DATA_DIR: path.join(ROOT, 'data') },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = null;
    const done = new Promise((resolve) => child.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
    }));
    child.stderr.pipe(log, { end: false });
    let out = '';
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

// ---- the direct identifiers of the synthetic state --------------------------------

// From the files the agencies sent (build/browser-auth/state/*.csv): every
// name, SSN and birth date, and the agencies' person ids (which may show
// in a practitioner's page but never in a URL).
const ids = {
    namePairs: new Set(),   // "first last", "last first", "first middle", "middle last", lower case
    names: new Set(),       // every name part of 3 letters or more, lower case
    ssns: new Set(),
    births: new Set(),
    birthForms: new Set(),  // every birth date in every writing of dateForms
    personIds: new Set(),   // student_id, ps_student_id, apprentice_id, dmv_id
    byStudent: new Map(),   // K-12 student id or "institution/ps id" -> { names, births, ssns }
};

function readCsv(name) {
    const file = path.join(WORK, 'state', name);
    if (!fs.existsSync(file)) return [];
    const rows = parseCsv(fs.readFileSync(file, 'utf8'));
    const head = rows.shift() || [];
    return rows.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

function loadIdentifiers() {
    const files = {
        'k12_students.csv': (r) => r.student_id,
        'ps_enrollments.csv': (r) => `${r.institution_id}/${r.ps_student_id}`,
        'dmv_ids.csv': null,
        'apprenticeships.csv': null,
        'ui_wages.csv': null,
    };
    let people = 0;
    for (const [file, keyOf] of Object.entries(files)) {
        for (const r of readCsv(file)) {
            people++;
            const parts = ['first_name', 'middle_name', 'last_name', 'name_suffix']
                .map((k) => (r[k] || '').trim().toLowerCase());
            const [first, middle, last] = parts;
            if (first && last) {
                ids.namePairs.add(`${first} ${last}`);
                ids.namePairs.add(`${last} ${first}`);
            }
            if (first && middle) ids.namePairs.add(`${first} ${middle}`);
            if (middle && last) ids.namePairs.add(`${middle} ${last}`);
            for (const p of parts) if (p.length >= 3) ids.names.add(p);
            const ssn = (r.ssn || '').replace(/\D/g, '');
            if (ssn.length === 9) ids.ssns.add(ssn);
            if (r.birth_date) ids.births.add(r.birth_date);
            for (const k of ['student_id', 'ps_student_id', 'apprentice_id', 'dmv_id'])
                if (r[k]) ids.personIds.add(r[k]);
            if (keyOf) {
                const key = keyOf(r);
                if (!ids.byStudent.has(key)) ids.byStudent.set(key, { names: new Set(), births: new Set(), ssns: new Set() });
                const s = ids.byStudent.get(key);
                for (const p of parts) if (p.length >= 2) s.names.add(p);
                if (r.birth_date) s.births.add(r.birth_date);
                if (ssn.length === 9) s.ssns.add(ssn);
            }
        }
    }
    for (const b of ids.births) for (const f of dateForms(b)) ids.birthForms.add(f);
    return people;
}

// A birth date written the ways a page might write it.
function dateForms(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m) return [iso];
    const [, y, mo, d] = m;
    const n = (s) => String(Number(s));
    return [iso, `${y}/${mo}/${d}`, `${mo}/${d}/${y}`, `${n(mo)}/${n(d)}/${y}`, `${d}/${mo}/${y}`, `${n(d)}/${n(mo)}/${y}`, `${d}-${mo}-${y}`, `${y}${mo}${d}`];
}

const words = (s) => (String(s).toLowerCase().match(/[\p{L}'-]+/gu) || []).map((w) => w.replace(/^['-]+|['-]+$/g, '')).filter((w) => w);

// Problems found in one text (a page's HTML, or a URL): an SSN (nine
// digits alone, or 3-2-4), two adjacent words that are a person's first
// and last name (either order), a birth date (URLs only: a page shows
// dates of its own), an agency person id (URLs only).
function identifiersIn(text, { url = false } = {}) {
    const found = [];
    // a learner handle is a sealed box: its letters are noise, not words
    if (url) text = text.replace(/(^|\/)[A-Za-z0-9_-]{64}(?=$|[/?#])/g, '$1:handle');
    for (const m of text.matchAll(/(?<!\d)(\d{3})-?(\d{2})-?(\d{4})(?!\d)/g)) {
        const d = `${m[1]}${m[2]}${m[3]}`;
        if (ids.ssns.has(d)) found.push(`SSN ${m[0]}`);
    }
    const w = words(text);
    for (let i = 0; i + 1 < w.length; i++) {
        const pair = `${w[i]} ${w[i + 1]}`;
        if (ids.namePairs.has(pair)) found.push(`name "${pair}"`);
    }
    if (url) {
        for (const tok of text.split(/[^A-Za-z0-9-]+/)) {
            if (ids.personIds.has(tok)) found.push(`person id ${tok}`);
            if (ids.birthForms.has(tok)) found.push(`birth date ${tok}`);
            for (const n of words(tok)) if (ids.names.has(n)) found.push(`name part "${n}"`);
        }
        for (const m of text.matchAll(/\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/g))
            if (ids.birthForms.has(m[0])) found.push(`birth date ${m[0]}`);
    }
    return found;
}

// The check itself is checked: a page made up of one real learner's
// name, SSN and birth date, and a URL with their student id, is caught on
// every count; the same page without them is clean.
function checkTheCheck() {
    const rows = readCsv('k12_students.csv').filter((r) => r.first_name && r.last_name && /^\d{9}$/.test(r.ssn || '') && r.birth_date);
    if (!rows.length) throw new Error('no learner with a name, an SSN and a birth date in the state');
    const r = rows[0];
    const ssn = r.ssn.replace(/^(\d{3})(\d{2})/, '$1-$2-');
    const clean = { html: '<p>School 1</p>', text: 'School 1', urls: ['/me/learners?lang=en'], cells: ['School 1'], students: [] };
    const planted = {
        html: `<p>${r.last_name.toUpperCase()}, ${r.first_name}</p><input type="hidden" value="${r.ssn}">`,
        text: `${r.first_name} | ${r.last_name}`,
        urls: [`/me/learner?student_id=${r.student_id}`, `/x?d=${r.birth_date.replace(/-/g, '/')}`],
        cells: [r.birth_date, ssn, r.last_name],
        students: [r.student_id],
    };
    planted.text += ` ${ssn}`;
    const found = findIdentifiers(planted, '/me');
    const want = ['name "', 'SSN ', 'person id', 'birth date', 'a cell that is a name', 'a cell that is a birth date', 'in the text', 'of the learner shown'];
    const missed = want.filter((w) => !found.some((f) => f.includes(w)));
    if (missed.length) throw new Error(`missed: ${missed.join(', ')} (found: ${found.join('; ')})`);
    const noise = findIdentifiers(clean, '/me');
    if (noise.length) throw new Error(`a clean page flagged: ${noise.join('; ')}`);
    return `${found.length} findings in the planted page, none in the clean one`;
}

// ---- one page ------------------------------------------------------------------------

function withLang(base, p, lang) {
    const u = new URL(p, base);
    u.searchParams.set('lang', lang);
    return u.toString();
}

// The kind of a signed-in page: its path with a learner handle or a number
// replaced, plus the names of its query parameters.
function kindOf(p) {
    const u = new URL(p, 'http://x');
    const segs = u.pathname.split('/').map((s) => (/^[A-Za-z0-9_-]{64}$/.test(s) ? ':handle' : /^\d+$/.test(s) ? ':id' : s));
    const keys = [...u.searchParams.keys()].filter((k) => k !== 'lang').sort();
    return segs.join('/') + (keys.length ? `?${keys.join('&')}` : '');
}

function slug(role, kind, n, lang) {
    const s = kind.replace(/^\//, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '') || 'home';
    return `auth-${role}-${s}${n > 1 ? `-${n}` : ''}-${lang}.png`;
}

function watch(page) {
    const w = { errors: [], csp: [], failed: [], expect403: false };
    const favicon = (u) => /\/favicon\.ico(\?|$)/.test(u || '');
    page.on('console', (m) => {
        const txt = m.text();
        if (favicon(m.location()?.url)) return;
        if (/Content.Security.Policy|Refused to (load|execute|apply|connect|frame)/i.test(txt)) w.csp.push(txt);
        else if (m.type() === 'error' && !(w.expect403 && /status of 403/.test(txt))) w.errors.push(txt);
    });
    page.on('pageerror', (e) => w.errors.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => favicon(r.url()) || w.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => {
        if (r.status() >= 400 && !favicon(r.url()) && !(w.expect403 && r.status() === 403)) w.failed.push(`${r.url()}: HTTP ${r.status()}`);
    });
    return w;
}

async function axe(page, axeSource) {
    // evaluated through the DevTools protocol, not as an inline script:
    // the page's CSP stays as it is
    await page.evaluate(axeSource);
    const v = await page.evaluate(async (tags) => {
        const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return res.violations.map((x) => `${x.id} (${x.impact}, ${x.nodes.length}x: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`);
    }, AXE_TAGS);
    stats.axePages++;
    stats.axe += v.length;
    if (v.length) throw new Error(`${v.length} violations: ${v.join('; ')}`);
    return '0 violations';
}

// What the identifier checks read of a page.
async function pageFacts(page) {
    return page.evaluate(() => {
        const text = (e) => (e.innerText || e.textContent || '').replace(/\s+/g, ' ').trim();
        const urls = [];
        for (const e of document.querySelectorAll('[href], [src], form[action]'))
            urls.push(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'));
        const cells = [...document.querySelectorAll('td, th, dd, li, code, caption, h1, h2, title')].map(text);
        // the student ids a page shows: learner lists' row headers, a
        // record's "Student ids" table
        const students = [...document.querySelectorAll('table.learners tbody th[scope=row]')].map(text);
        for (const h of document.querySelectorAll('h2')) {
            const tb = h.nextElementSibling;
            if (tb && tb.tagName === 'TABLE' && tb.querySelectorAll('thead th').length === 2)
                for (const tr of tb.querySelectorAll('tbody tr')) students.push(text(tr.children[1]));
            break; // the first section only
        }
        return { html: document.documentElement.outerHTML, text: document.body.innerText, urls, cells, students };
    });
}

// No direct identifier in the page or its URLs. In the page's HTML (text,
// attributes, hidden fields): no SSN of any person, no person's first and
// last name side by side, no cell (td, th, dd, li, ...) that is exactly a
// name or a birth date of the state. For each learner the page shows (a
// list's rows, a record): none of the learner's birth dates, in any
// common writing. In the page's URL and every link, form action and
// source: no SSN, name, birth date or agency person id.
function findIdentifiers(f, pageUrl) {
    const found = identifiersIn(f.html);
    // names side by side in the text as shown (two cells of one row)
    const w = words(f.text);
    for (let i = 0; i + 1 < w.length; i++)
        if (ids.namePairs.has(`${w[i]} ${w[i + 1]}`)) found.push(`name "${w[i]} ${w[i + 1]}" in the text`);
    for (const c of f.cells) {
        const lc = c.toLowerCase();
        if (ids.names.has(lc)) found.push(`a cell that is a name: "${c}"`);
        if (ids.birthForms.has(c)) found.push(`a cell that is a birth date: ${c}`);
    }
    for (const s of f.students) {
        const who = ids.byStudent.get(s);
        if (!who) continue;
        for (const b of who.births)
            for (const form of dateForms(b)) if (f.text.includes(form)) found.push(`birth date ${form} of the learner shown`);
        for (const ssn of who.ssns) if (f.html.includes(ssn)) found.push('SSN of the learner shown');
    }
    for (const u of [pageUrl, ...f.urls]) {
        let dec = u;
        try {
            dec = decodeURIComponent(u.replace(/\+/g, ' '));
        } catch { /* as is */ }
        found.push(...identifiersIn(dec, { url: true }).map((x) => `${x} in URL ${u.slice(0, 100)}`));
    }
    return found;
}

function checkIdentifiers(name, f, pageUrl) {
    const found = findIdentifiers(f, pageUrl);
    stats.idChecks++;
    t.check(`${name} no direct identifier in the page or its URLs`, found.length === 0,
        [...new Set(found)].slice(0, 6).join('; '), `${f.urls.length} URLs, ${f.students.length} learners shown`);
}

// Every POST form carries the session's CSRF token (64 hex digits, the
// same in every form of the page); GET forms (unit choosers) change
// nothing and carry none.
async function checkForms(page, name) {
    const forms = await page.evaluate(() => [...document.querySelectorAll('form')].map((f) => ({
        method: (f.getAttribute('method') || 'get').toLowerCase(),
        action: f.getAttribute('action') || '',
        csrf: [...f.querySelectorAll('input[name=csrf]')].map((i) => i.type === 'hidden' ? i.value : `visible:${i.value}`),
    })));
    const post = forms.filter((f) => f.method === 'post');
    stats.forms += post.length;
    stats.getForms += forms.length - post.length;
    const bad = post.filter((f) => f.csrf.length !== 1 || !/^[0-9a-f]{64}$/.test(f.csrf[0])).map((f) => f.action);
    const tokens = new Set(post.map((f) => f.csrf[0]));
    const odd = forms.filter((f) => f.method !== 'post' && f.method !== 'get').map((f) => `${f.method} ${f.action}`);
    t.check(`${name} every form carries the CSRF token`, bad.length === 0 && tokens.size <= 1 && odd.length === 0,
        bad.length ? `no or malformed csrf field in: ${bad.join(', ')}` : odd.length ? `forms neither GET nor POST: ${odd.join(', ')}` : `${tokens.size} different tokens on one page`,
        `${post.length} POST with token, ${forms.length - post.length} GET`);
    return post.length ? [...tokens][0] : null;
}

// Passages of a Spanish page that read as English (two or more English
// words that are not Spanish ones: "the", "of", "than", ...) and are not
// inside an element marked lang="en" (WCAG 2.1 3.1.2: a screen reader
// would read them with Spanish sounds). access/'s reasons, the audit
// log's words and validation messages are English in every language.
async function unmarkedEnglish(page) {
    return page.evaluate(() => {
        const en = new Set(['the', 'of', 'and', 'not', 'is', 'are', 'was', 'than', 'more', 'with', 'without', 'from',
            'to', 'by', 'on', 'at', 'for', 'this', 'that', 'be', 'has', 'have', 'rows', 'only', 'in', 'viewed', 'added',
            'as', 'under', 'its', 'or', 'ended', 'logged', 'allowed', 'denied', 'wrong', 'missing', 'out', 'user', 'fewer',
            'found', 'records', 'state']);
        const out = [];
        const walk = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const el = n.parentElement;
            if (!el || el.closest('[lang]')?.getAttribute('lang') !== 'es' || el.closest('code, script, style')) continue;
            const w = (n.textContent.toLowerCase().match(/\p{L}+/gu) || []).filter((x) => en.has(x));
            if (new Set(w).size >= 2) out.push(n.textContent.trim().slice(0, 60));
        }
        return out;
    });
}

// Values a person reads, not the database's: yes/no flags as "Yes"/"No"
// ("Sí"/"No"), never 0/1; pay as whole dollars ("$35,657" / "$35.657"),
// never with decimals; an indicator by its title (its code beside it in
// <code>), never a bare code like EMP_Q2. Counted over the run, so that a
// crawl that never met such a value fails (readableSeen).
const FLAG_COLS = new Set(['English learner', 'Disability', 'Proficient', 'Completed',
    'Estudiante de inglés', 'Discapacidad', 'Competente', 'Completado']);
const readableSeen = { flags: 0, money: 0, indicators: 0 };
async function readableValues(page, lang) {
    const r = await page.evaluate(([flagCols, lang]) => {
        const text = (e) => (e.innerText || '').replace(/\s+/g, ' ').trim();
        const out = { flags: [], badFlags: [], money: [], badMoney: [], indicators: [], bareCodes: [] };
        for (const tb of document.querySelectorAll('main table')) {
            const heads = [...tb.querySelectorAll('thead th')].map(text);
            for (const tr of tb.querySelectorAll('tbody tr')) {
                [...tr.children].forEach((td, i) => {
                    const v = text(td);
                    if (flagCols.includes(heads[i])) ((lang === 'es' ? /^(Sí|No)$/ : /^(Yes|No)$/).test(v) ? out.flags : out.badFlags).push(v);
                    if (/^(Median|Mediana)$/.test(heads[i]) && v !== '–')
                        (/^\$\d{1,3}([.,]\d{3})*$|^\$\d{4}$/.test(v) ? out.money : out.badMoney).push(v);
                    if (/^(Indicator|Indicador)$/.test(heads[i])) {
                        const code = td.querySelector('code');
                        if (code && /\p{Ll}{3}/u.test(v.replace(text(code), ''))) out.indicators.push(v);
                        else out.bareCodes.push(v);
                    }
                });
            }
        }
        return out;
    }, [[...FLAG_COLS], lang]);
    readableSeen.flags += r.flags.length;
    readableSeen.money += r.money.length;
    readableSeen.indicators += r.indicators.length;
    // no number with three decimals anywhere in a table ("35.657,360")
    const threeDec = await page.evaluate((l) => [...document.querySelectorAll('main td')]
        .map((e) => e.innerText.trim()).filter((v) => /^\$?-?\d[\d.,]*%?$/.test(v) && (l === 'es' ? /\d,\d{3}(?!\d)/ : /\d\.\d{3}(?!\d)/).test(v)), lang);
    const bad = [...r.badFlags.map((v) => `flag "${v}"`), ...r.badMoney.map((v) => `pay "${v}"`),
        ...r.bareCodes.map((v) => `indicator "${v}"`), ...threeDec.map((v) => `3 decimals "${v}"`)];
    return { bad, shown: `${r.flags.length} flags, ${r.money.length} pay cells, ${r.indicators.length} indicators` };
}

// The checks of one signed-in page, already loaded.
async function checkPage(ctx, resp, p, kind, n) {
    const { page, role, lang, axeSource, english } = ctx;
    const name = `${role.key} ${kind}${n > 1 ? ` #${n}` : ''} [${lang}]`;
    const status = resp ? resp.status() : 0;
    stats.pages++;
    stats.perLang[lang]++;
    const lg = await page.getAttribute('html', 'lang');
    const h1 = await page.evaluate(() => [...document.querySelectorAll('h1')].map((h) => h.innerText.trim()));
    const account = await page.evaluate(() => document.querySelector('header .account')?.innerText || '');
    if (!t.check(`${name} loads`, status === 200 && lg === lang && h1.length === 1 && account.includes(role.user),
        `HTTP ${status}, <html lang="${lg}">, h1 ${JSON.stringify(h1)}, header "${account.slice(0, 80)}"`, p)) return null;
    if (lang === 'en') english.set(kind, h1[0]);
    else if (english.has(kind) && !/^\/me\/submissions\/:id/.test(kind)) // "Submission 3" / "Envío 3"
        t.check(`${name} is translated`, english.get(kind) !== h1[0], `the h1 is the English one: "${h1[0]}"`);
    if (lang === 'es') {
        const en = await unmarkedEnglish(page);
        t.check(`${name} English text is marked lang="en"`, en.length === 0,
            `${en.length} passages: ${en.slice(0, 4).map((x) => `"${x}"`).join(', ')}`);
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, slug(role.key, kind, n, lang)), fullPage: true });
    await t.run(`${name} axe WCAG 2.1 AA`, () => axe(page, axeSource));
    const rv = await readableValues(page, lang);
    t.check(`${name} shows readable values`, rv.bad.length === 0,
        `${rv.bad.length} raw values: ${rv.bad.slice(0, 4).join(', ')}`, rv.shown);
    const f = await pageFacts(page);
    checkIdentifiers(name, f, page.url());
    const csrf = await checkForms(page, name);
    return { h1: h1[0], csrf, students: f.students, words: new Set(words(f.text)), url: page.url() };
}

// ---- a role's pages ------------------------------------------------------------------

async function signIn(page, base, role, lang) {
    await page.goto(`${base}/login?lang=${lang}`);
    await page.fill('#user', role.user);
    await page.fill('#password', role.pw);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    const u = new URL(page.url());
    if (u.pathname !== '/me') throw new Error(`after signing in at ${u.pathname}: ${(await page.textContent('main')).slice(0, 200)}`);
    const lg = await page.getAttribute('html', 'lang');
    if (lg !== lang) throw new Error(`/me after sign-in is <html lang="${lg}">`);
}

// The pages of each role seen in English (for the 403 checks), and the
// learner links a practitioner's session showed (valid in it only).
const seen = new Map();
const oldHandles = [];

// Follows links from /me breadth first: every signed-in page (/me,
// /admin, /assess) at most PER_KIND of a kind.
async function crawl(ctx) {
    const { page, base, role, lang } = ctx;
    const queue = ['/me'];
    const visited = new Set();
    const kinds = new Map();
    const records = []; // learner records: for the name check
    let content = null; // the page for the sign-out checks
    while (queue.length && visited.size < MAX_PAGES) {
        const p = queue.shift();
        if (visited.has(p)) continue;
        const kind = kindOf(p);
        const n = (kinds.get(kind) || 0) + 1;
        if (n > PER_KIND) continue;
        kinds.set(kind, n);
        visited.add(p);
        const resp = await page.goto(withLang(base, p, lang));
        const r = await checkPage(ctx, resp, p, kind, n);
        if (!r) continue;
        if (lang === 'en') seen.get(role.key).add(p);
        if (kind === '/me/learner/:handle') {
            records.push(r);
            if (lang === 'en') oldHandles.push(p);
        }
        if (p !== '/me' && !p.startsWith('/assess') && (!content || kind === '/me/learners')) content = { p, h1: r.h1 };
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
        for (const h of hrefs) {
            const u = new URL(h);
            if (u.origin !== new URL(base).origin || !SIGNED_IN.test(u.pathname)) continue;
            u.searchParams.delete('lang');
            u.hash = '';
            const q = u.pathname + u.search;
            if (!visited.has(q)) queue.push(q);
        }
    }
    if (role.key === 'practitioner') await lookup(ctx, records);
    // a learner's own name on their record: a word of the learner's name
    // that the record of another learner (another name) does not show is
    // the name itself, not the page's own text
    for (const [i, r] of records.entries()) {
        const other = records.find((o, j) => j !== i && !o.students.some((s) => r.students.includes(s)));
        if (!other) continue;
        const leaked = [];
        for (const s of r.students)
            for (const nm of ids.byStudent.get(s)?.names || [])
                if (r.words.has(nm) && !other.words.has(nm)) leaked.push(nm);
        t.check(`${role.key} learner record ${i + 1} [${lang}] does not name the learner`, leaked.length === 0,
            `the learner's name in the page: ${leaked.join(', ')}`, `${r.students.length} ids`);
    }
    return content;
}

// The practitioner looks a learner up by student id (POST: the id travels
// in the body, not in a URL).
async function lookup(ctx, records) {
    const { page, base, lang } = ctx;
    await page.goto(withLang(base, '/me/learners', lang));
    const sid = await page.evaluate(() => document.querySelector('table.learners tbody th[scope=row]')?.innerText?.trim());
    if (!sid) {
        t.fail(`practitioner learner lookup [${lang}]`, 'no learner listed');
        return;
    }
    await page.fill('#student_id', sid);
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('form:has(#student_id) button[type=submit]')]);
    const r = await checkPage(ctx, resp, '/me/learner (POST)', 'POST /me/learner', 1);
    if (r) {
        t.check(`practitioner learner lookup [${lang}] shows the record asked for`, r.students.includes(sid),
            `asked for ${sid}, the record shows ${r.students.join(', ')}`);
        records.push(r);
    }
}

// Sign-out ends the session: the back button and the old cookie lead to
// the sign-in page (or to the 403 page that asks to sign in), never to
// the signed-in page.
async function checkSignOut(ctx, content) {
    const { page, browser, base, role, lang, w } = ctx;
    const name = `${role.key} [${lang}] sign-out`;
    const url = withLang(base, content.p, lang);
    const shows = async (pg) => {
        const h1 = await pg.evaluate(() => document.querySelector('h1')?.innerText?.trim() || '');
        const account = await pg.evaluate(() => document.querySelector('header .account')?.innerText || '');
        return { h1, signedIn: account.includes(role.user), form: await pg.locator('#user').count(), path: new URL(pg.url()).pathname,
            signInLink: await pg.locator('a[href^="/login"]').count() };
    };
    w.expect403 = true;
    await t.run(`${name}: a sign-out form without its CSRF token is refused, the session stays`, async () => {
        await page.goto(url);
        await page.evaluate(() => document.querySelector('header form[action^="/logout"] input[name=csrf]')?.remove());
        const [resp] = await Promise.all([page.waitForNavigation(), page.click('header form[action^="/logout"] button')]);
        if (resp.status() !== 403) throw new Error(`HTTP ${resp.status()}`);
        const s = await shows(page);
        if (!s.signedIn) throw new Error('signed out by a form without a token');
        const r2 = await page.goto(url);
        if (r2.status() !== 200) throw new Error(`then ${content.p}: HTTP ${r2.status()}`);
    });
    const cookie = (await page.context().cookies()).find((c) => c.name === 'p20w_session');
    await t.run(`${name}: the button ends the session`, async () => {
        if (!cookie) throw new Error('no session cookie while signed in');
        if (!cookie.httpOnly || cookie.sameSite !== 'Strict') throw new Error(`cookie httpOnly ${cookie.httpOnly}, sameSite ${cookie.sameSite}`);
        await page.goto(url);
        await Promise.all([page.waitForNavigation(), page.click('header form[action^="/logout"] button')]);
        const s = await shows(page);
        if (s.signedIn) throw new Error(`still "Signed in as" at ${s.path}`);
        if ((await page.context().cookies()).some((c) => c.name === 'p20w_session')) throw new Error('the session cookie is still in the browser');
    });
    await t.run(`${name}: the back button shows the sign-in page, not "${content.h1}"`, async () => {
        await page.goBack();
        const s = await shows(page);
        if (s.signedIn || s.h1 === content.h1) throw new Error(`back at ${s.path}: the signed-in page "${s.h1}" is shown again`);
        if (!s.form && !s.signInLink) throw new Error(`back at ${s.path}: "${s.h1}", no way to sign in`);
        return `${s.path}: "${s.h1}"`;
    });
    await t.run(`${name}: the old cookie gets the sign-in page`, async () => {
        const c2 = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US' });
        try {
            await c2.addCookies([{ name: 'p20w_session', value: cookie.value, url: base }]);
            const pg = await c2.newPage();
            await pg.goto(withLang(base, '/me', lang));
            let s = await shows(pg);
            if (s.path !== '/login' || !s.form) throw new Error(`/me with the old cookie: at ${s.path} "${s.h1}"`);
            const r = await pg.goto(url);
            s = await shows(pg);
            if (r.status() !== 403 || s.signedIn || s.h1 === content.h1 || !s.signInLink)
                throw new Error(`${content.p} with the old cookie: HTTP ${r.status()}, "${s.h1}"`);
            return `/me -> /login; ${content.p} -> 403 with a sign-in link`;
        } finally {
            await c2.close();
        }
    });
    w.expect403 = false;
}

async function roleInLanguage(browser, base, role, lang, axeSource, english) {
    const c = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await c.newPage();
    const w = watch(page);
    const ctx = { browser, base, page, role, lang, axeSource, english, w };
    try {
        if (!(await t.run(`${role.key} [${lang}] signs in through the form`, () => signIn(page, base, role, lang)))) return;
        const before = { ...readableSeen };
        const content = await crawl(ctx);
        if (role.key === 'practitioner') {
            const d = Object.fromEntries(Object.keys(readableSeen).map((k) => [k, readableSeen[k] - before[k]]));
            t.check(`practitioner [${lang}] met yes/no flags, pay and indicators to check`, d.flags > 0 && d.money > 0 && d.indicators > 0,
                `seen: ${JSON.stringify(d)}`, `${d.flags} flags, ${d.money} pay cells, ${d.indicators} indicators`);
        }
        t.check(`${role.key} [${lang}] no console error`, w.errors.length === 0, [...new Set(w.errors)].slice(0, 3).join(' | '));
        t.check(`${role.key} [${lang}] no CSP violation`, w.csp.length === 0, [...new Set(w.csp)].slice(0, 3).join(' | '));
        t.check(`${role.key} [${lang}] no failed request`, w.failed.length === 0, [...new Set(w.failed)].slice(0, 3).join(' | '));
        if (content) await checkSignOut(ctx, content);
        else t.fail(`${role.key} [${lang}] sign-out`, 'no signed-in page besides /me to test it on');
    } catch (e) {
        t.fail(`${role.key} [${lang}]`, `stopped: ${e.message.split('\n')[0]}`);
    } finally {
        await c.close();
    }
}

// ---- refusals ------------------------------------------------------------------------

// A 403 page: status, "Access denied" (its translation), no "Signed in"
// content of the page asked for, axe once per role and language.
async function expect403(page, base, p, lang, name, axeSource, state) {
    const resp = await page.goto(withLang(base, p, lang));
    const status = resp ? resp.status() : 0;
    const h1 = await page.evaluate(() => document.querySelector('h1')?.innerText?.trim() || '');
    stats.denied++;
    if (status !== 403) throw new Error(`HTTP ${status} "${h1}"`);
    if (!state.h1) state.h1 = h1;
    else if (h1 !== state.h1) throw new Error(`the 403 page says "${h1}", not "${state.h1}"`);
    if (!state.axed) {
        state.axed = true;
        await t.run(`${name} the 403 page: axe WCAG 2.1 AA`, () => axe(page, axeSource));
        fs.mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, `auth-${name.split(' ')[0]}-403-${lang}.png`), fullPage: true });
    }
    return h1;
}

async function refusals(browser, base, role, lang, axeSource) {
    const c = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US' });
    const page = await c.newPage();
    const state = {};
    try {
        if (!(await t.run(`${role.key} [${lang}] signs in again`, () => signIn(page, base, role, lang)))) return;
        // pages of a kind this role never reached (an admin reaches
        // every agency's submissions, so a steward's are not "another
        // role's" for the admin)
        const mine = new Set([...seen.get(role.key)].map(kindOf));
        const others = new Set();
        for (const [k, ps] of seen) {
            if (k === role.key) continue;
            for (const p of ps) if (!mine.has(kindOf(p)) && !p.startsWith('/assess') && !p.startsWith('/me/learner/')) others.add(p);
        }
        await t.run(`${role.key} [${lang}] every page only another role sees answers 403`, async () => {
            for (const p of others) {
                try {
                    await expect403(page, base, p, lang, `${role.key} [${lang}]`, axeSource, state);
                } catch (e) {
                    throw new Error(`${p}: ${e.message}`);
                }
            }
            return `${others.size} pages: ${[...others].map(kindOf).filter((k, i, a) => a.indexOf(k) === i).join(' ')}`;
        });
        if (oldHandles.length) {
            await t.run(`${role.key} [${lang}] learner links of an earlier session answer 403`, async () => {
                for (const p of oldHandles) await expect403(page, base, p, lang, `${role.key} [${lang}]`, axeSource, state);
                return `${oldHandles.length} links`;
            });
        }
        if (role.key === 'practitioner') {
            await t.run(`practitioner [${lang}] another school's numbers and learners answer 403`, async () => {
                for (const p of [`/me/aggregates?kind=school&id=${facts.B}`, `/me/learners?kind=school&id=${facts.B}`,
                    `/me/aggregates?kind=district&id=${facts.DA}`])
                    await expect403(page, base, p, lang, `${role.key} [${lang}]`, axeSource, state);
                return `school ${facts.B}, own district ${facts.DA} (district-wide numbers are not a school's)`;
            });
            await t.run(`practitioner [${lang}] looking up a learner of another school answers 403`, async () => {
                await page.goto(withLang(base, '/me/learners', lang));
                await page.fill('#student_id', facts.SB);
                const [resp] = await Promise.all([page.waitForNavigation(), page.click('form:has(#student_id) button[type=submit]')]);
                const txt = await page.textContent('main');
                if (resp.status() !== 403) throw new Error(`HTTP ${resp.status()}`);
                if (!/outside the practitioner/.test(txt)) throw new Error(`refused for another reason: ${txt.slice(0, 200)}`);
                if (new URL(page.url()).search.includes(facts.SB)) throw new Error('the student id is in the URL');
                return `student ${facts.SB} of school ${facts.B}`;
            });
        }
    } catch (e) {
        t.fail(`${role.key} [${lang}] refusals`, `stopped: ${e.message.split('\n')[0]}`);
    } finally {
        await c.close();
    }
}

// Someone who is not signed in: /me sends to the sign-in page, every other
// signed-in page answers 403 and offers to sign in.
async function visitor(browser, base, lang, axeSource) {
    const c = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US' });
    const page = await c.newPage();
    try {
        await t.run(`not signed in [${lang}] the sign-in page: axe WCAG 2.1 AA, a CSRF token`, async () => {
            const r = await page.goto(withLang(base, '/login', lang));
            if (r.status() !== 200) throw new Error(`HTTP ${r.status()}`);
            if ((await page.getAttribute('html', 'lang')) !== lang) throw new Error('html lang');
            if (!/^[0-9a-f]{64}$/.test(await page.inputValue('main form input[name=csrf]'))) throw new Error('no CSRF token in the sign-in form');
            fs.mkdirSync(SHOTS, { recursive: true });
            await page.screenshot({ path: path.join(SHOTS, `auth-login-${lang}.png`), fullPage: true });
            return axe(page, axeSource);
        });
        await t.run(`not signed in [${lang}] a wrong password: the same message for everyone, axe`, async () => {
            await page.fill('#user', ROLES[0].user);
            await page.fill('#password', 'Not-The-Password-123');
            const [resp] = await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
            if (resp.status() !== 403) throw new Error(`HTTP ${resp.status()}`);
            if ((await page.locator('[role=alert]').count()) !== 1) throw new Error('no alert');
            if ((await page.content()).includes(ROLES[0].user)) throw new Error('the typed name is echoed back');
            return axe(page, axeSource);
        });
        const state = {};
        const all = new Set();
        for (const ps of seen.values()) for (const p of ps) if (p !== '/me' && !p.startsWith('/assess')) all.add(p);
        await t.run(`not signed in [${lang}] /me leads to the sign-in page`, async () => {
            await page.goto(withLang(base, '/me', lang));
            if (new URL(page.url()).pathname !== '/login' || !(await page.locator('#user').count())) throw new Error(`at ${page.url()}`);
        });
        await t.run(`not signed in [${lang}] every signed-in page answers 403 with a sign-in link`, async () => {
            for (const p of all) {
                await expect403(page, base, p, lang, `visitor [${lang}]`, axeSource, state);
                if (!(await page.locator('main a[href^="/login"]').count())) throw new Error(`${p}: no sign-in link`);
            }
            return `${all.size} pages`;
        });
    } finally {
        await c.close();
    }
}

// ---- main ------------------------------------------------------------------------------

async function main() {
    if (!fs.existsSync(BIN)) {
        t.fail('p20w binary', `${BIN} missing: make build/san/p20w`);
        return t.finish();
    }
    fs.mkdirSync(WORK, { recursive: true });
    for (const f of fs.existsSync(SHOTS) ? fs.readdirSync(SHOTS) : []) if (f.startsWith('auth-')) fs.rmSync(path.join(SHOTS, f));
    try {
        const how = buildState();
        const people = loadIdentifiers();
        t.ok('state built, accounts added', `${how}; ${people} identity rows, ${ids.ssns.size} SSNs, ${ids.namePairs.size} name pairs; school ${facts.A}, other school ${facts.B}; ${secs()} s`);
    } catch (e) {
        t.fail('state built, accounts added', e.message);
        return t.finish();
    }
    await t.run('the identifier check finds a planted name, SSN, birth date and student id', checkTheCheck);
    let server;
    try {
        server = await startServer();
        t.ok('p20w serve answers', server.base);
    } catch (e) {
        t.fail('p20w serve answers', e.message);
        return t.finish();
    }
    let browser;
    try {
        const axeSource = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
        for (const role of ROLES) {
            seen.set(role.key, new Set());
            const english = new Map();
            for (const lang of LANGS) await roleInLanguage(browser, server.base, role, lang, axeSource, english);
        }
        for (const role of ROLES)
            for (const lang of LANGS) await refusals(browser, server.base, role, lang, axeSource);
        for (const lang of LANGS) await visitor(browser, server.base, lang, axeSource);
    } catch (e) {
        t.fail('browser run', e.stack || e.message);
    } finally {
        if (browser) await browser.close();
        const ex = await server.stop();
        const log = fs.readFileSync(server.logPath, 'utf8');
        const san = /AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer/.test(log);
        t.check('p20w serve stops cleanly on SIGTERM, no sanitizer report', ex.code === 0 && !san,
            `exit ${JSON.stringify(ex)}; ${server.logPath}: ${log.slice(-1500)}`);
    }
    const kinds = new Set([...seen.values()].flatMap((s) => [...s].map(kindOf)));
    console.log(`browser: auth: ${ROLES.length} roles, ${stats.pages} signed-in page loads (${stats.perLang.en} English, ${stats.perLang.es} Spanish; ${kinds.size} kinds of page), ` +
        `${stats.axePages} axe runs, ${stats.axe} violations, ${stats.denied} refusals checked, ${stats.forms} POST forms with a CSRF token (${stats.getForms} GET forms), ` +
        `${stats.idChecks} pages searched for identifiers, screenshots in ${path.relative(ROOT, SHOTS)}/auth-*, ${secs()} s`);
    return t.finish();
}

process.exitCode = await main();
