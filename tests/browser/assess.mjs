// The self-assessment in a real browser: Debian's chromium driven by
// playwright-core against the real `p20w serve` (sanitizer build).
//
//   node tests/browser/assess.mjs
//
// 1. builds a small synthetic state (synth, init, ingest, link, build) and
//    two accounts (an admin, a practitioner) under build/browser-assess/;
// 2. starts `p20w serve` on a free loopback port;
// 3. as a person would: signs in, starts an assessment, rates core
//    element 1 in part (radio buttons, typed evidence), signs out, signs in
//    again and finds the ratings kept, finishes every core element, marks
//    it complete, sees the heat map, writes the vision, a goal and an
//    activity, sees the action plan and its printable page;
// 4. every page of the assessment (list, overview, rating form, plan,
//    printable report, auto-evidence, comparison) in English and in Spanish:
//    axe-core finds no violation of WCAG 2.0/2.1 A and AA, <html lang> is
//    the language, no console error and no Content-Security-Policy
//    violation; the result is then recorded (p20w assess record-a11y) and
//    the auto-evidence page shows it under 5A;
// 5. stops the server and checks it exited 0 (no sanitizer report).
//
// Needs tests/browser/node_modules (npm ci in tests/browser: playwright-core
// and axe-core, the same pinned versions as the other browser tests).
// Prints "ok   NAME" / "FAIL NAME: why" and "N passed, N failed"; exits 1
// when a check failed.
//
// Environment: P20W_BIN (default build/san/p20w), BROWSER_CHROMIUM
// (default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = path.resolve(ROOT, process.env.P20W_BIN || 'build/san/p20w');
const WORK = path.join(ROOT, 'build/browser-assess');
const CHROMIUM = process.env.BROWSER_CHROMIUM || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const ADMIN = ['ada', 'Granite-Pelican-Orbit-5821'];
const PRACT = ['pat', 'Velvet-Harbor-Cactus-3307'];

let passed = 0;
let failed = 0;
const failures = [];
function ok(name, detail) {
    passed++;
    console.log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
}
function fail(name, why) {
    failed++;
    failures.push(name);
    console.log(`FAIL ${name}: ${why}`);
}
async function check(name, fn) {
    try {
        const d = await fn();
        ok(name, typeof d === 'string' ? d : undefined);
    } catch (e) {
        fail(name, (e && e.message ? e.message : String(e)).split('\n').slice(0, 6).join(' | '));
    }
}
function assert(cond, msg) {
    if (!cond) throw new Error(msg);
}

function p20w(args, input) {
    const r = spawnSync(BIN, args, { cwd: WORK, input, encoding: 'utf8',
        env: { ...process.env, P20W_NO_PROGRESS: '1', P20W_DATA_DIR: path.join(ROOT, 'data') } });
    if (r.status !== 0)
        throw new Error(`p20w ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    return r.stdout;
}

function buildState() {
    fs.rmSync(WORK, { recursive: true, force: true });
    fs.mkdirSync(WORK, { recursive: true });
    p20w(['synth', '--out', 'st', '--learners', '300', '--seed', '11']);
    p20w(['init', 't.db']);
    p20w(['ingest', 't.db', '--dir', 'st']);
    p20w(['link', 't.db']);
    p20w(['build', 't.db', '--indicator', 'HS_GRAD4,EMP_Q2,OUTCOME_Y1']);
    p20w(['user', 't.db', 'add', ADMIN[0], '--role', 'admin', '--password-stdin'], `${ADMIN[1]}\n`);
    p20w(['user', 't.db', 'add', PRACT[0], '--role', 'practitioner', '--scope', 'school:S1',
        '--password-stdin'], `${PRACT[1]}\n`);
}

function startServer() {
    return new Promise((resolve, reject) => {
        const srv = spawn(BIN, ['serve', 't.db', '--port', '0'], { cwd: WORK,
            env: { ...process.env, P20W_DATA_DIR: path.join(ROOT, 'data') } });
        let out = '';
        let err = '';
        srv.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/serving (http:\/\/[^ \n]+)/);
            if (m) resolve({ srv, base: m[1].replace(/\/$/, ''), errText: () => err });
        });
        srv.stderr.on('data', (d) => { err += d; });
        srv.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
        setTimeout(() => reject(new Error('server did not start in 60 s')), 60000);
    });
}

// ---- the person's path ---------------------------------------------------------

async function signIn(page, base, [user, pw]) {
    await page.goto(`${base}/login`);
    await page.fill('#user', user);
    await page.fill('#password', pw);
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    assert(new URL(page.url()).pathname === '/me', `after sign-in at ${page.url()}`);
}

async function signOut(page) {
    await Promise.all([page.waitForNavigation(), page.click('header form[action^="/logout"] button')]);
}

async function rateCore(page, base, id, core, ratings, evidence = {}) {
    await page.goto(`${base}/assess/rate?id=${id}&core=${core}&lang=en`);
    for (const [el, v] of Object.entries(ratings))
        await page.check(el === 'overall' ? `#overall_${v}` : `#r_${el}_${v}`);
    for (const [el, text] of Object.entries(evidence))
        await page.fill(`#e_${el}`, text);
    await Promise.all([page.waitForNavigation(), page.click('button[name=next][value=next]')]);
}

async function personPath(browser, base) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    let id = 0;
    await check('sign in and reach the assessments from My pages', async () => {
        await signIn(page, base, ADMIN);
        await Promise.all([page.waitForNavigation(), page.click('a[href^="/assess?"]')]);
        assert(new URL(page.url()).pathname === '/assess', page.url());
    });
    await check('start an assessment', async () => {
        await page.fill('#title', 'Statewide 2026');
        await Promise.all([page.waitForNavigation(), page.click('main form:has(#title) button')]);
        const u = new URL(page.url());
        id = Number(u.searchParams.get('id'));
        assert(u.pathname === '/assess/view' && id > 0, page.url());
        assert((await page.locator('table.heatmap').count()) === 1, 'no heat map');
    });
    await check('fill part of it: core element 1, two sub-elements with evidence', async () => {
        await rateCore(page, base, id, 1, { '1A': 3, '1B': 2 }, { '1A': 'Business rules since 2019.\nAudited yearly.' });
        assert(new URL(page.url()).searchParams.get('core') === '2', `moved to ${page.url()}`);
        assert((await page.locator('p.ok[role=status]').count()) === 1, 'no "Saved." note');
    });
    await check('leave (sign out) and come back (sign in): the ratings are kept', async () => {
        await signOut(page);
        await signIn(page, base, ADMIN);
        await page.goto(`${base}/assess/rate?id=${id}&core=1&lang=en`);
        assert(await page.isChecked('#r_1A_3'), '1A is not 3');
        assert(await page.isChecked('#r_1B_2'), '1B is not 2');
        assert(await page.isChecked('#r_1C_0'), '1C is not "not rated yet"');
        const ev = await page.inputValue('#e_1A');
        assert(ev.replace(/\r/g, '') === 'Business rules since 2019.\nAudited yearly.', `evidence is ${JSON.stringify(ev)}`);
    });
    await check('finish: every core element, then mark complete', async () => {
        await rateCore(page, base, id, 1, { '1C': 2, overall: 2 });
        await rateCore(page, base, id, 2, { '2A': 2, '2B': 1, '2C': 2, '2D': 3 });
        await rateCore(page, base, id, 3, { '3A': 3, '3B': 2, '3C': 1, overall: 2 });
        await rateCore(page, base, id, 4, { '4A': 3, '4B': 2, '4C': 3, '4D': 4 });
        await rateCore(page, base, id, 5, { '5A': 2, '5B': 1, '5C': 1 });
        await rateCore(page, base, id, 6, { '6A': 2, '6B': 2, '6C': 1, '6D': 1 });
        assert(new URL(page.url()).pathname === '/assess/view', `after core 6 at ${page.url()}`);
        await Promise.all([page.waitForNavigation(), page.click('form:has(input[name=complete]) button')]);
        const text = await page.textContent('main');
        assert(text.includes('Status: complete. Sub-elements rated: 21 / 21.'), 'not complete');
    });
    await check('the heat map shows every sub-element with its rating as text', async () => {
        const cells = await page.$$eval('table.heatmap td[id^="hm-"]', (tds) =>
            tds.map((td) => [td.id.slice(3), td.querySelector('.rating-num')?.textContent, td.querySelector('.rating-word')?.textContent]));
        assert(cells.length === 21, `${cells.length} cells`);
        const c4d = cells.find(([k]) => k === '4D');
        assert(c4d[1] === '4' && c4d[2] === 'Established', `4D shows ${c4d}`);
        const strengths = await page.textContent('.strengths');
        assert(strengths.includes('Top strengths') && strengths.includes('Top challenges'), 'no strengths and challenges');
    });
    await check('the action plan: vision, a goal, an activity', async () => {
        await page.goto(`${base}/assess/plan?id=${id}&lang=en`);
        await page.fill('#vision', 'Every learner leaves with a path to a well-paid job.');
        await page.fill('#res_funding', 'Perkins V state leadership reserve');
        await Promise.all([page.waitForNavigation(), page.click('form:has(#vision) button')]);
        await page.selectOption('#g0-element', '3A');
        await page.fill('#g0-specific', 'Collect learner-level outcomes of college completers');
        await page.fill('#g0-measurable', 'All 15 two-year colleges submit');
        await page.fill('#g0-owner', 'W. Perkins');
        await page.fill('#g0-due_date', '2026-10-01');
        await Promise.all([page.waitForNavigation(), page.click('#goal-0 form button')]);
        await page.fill('#g1-a0-activity', 'Survey what users want from a new dashboard');
        await page.fill('#g1-a0-owner', 'H. Smith');
        await page.fill('#g1-a0-metric', '200 answers');
        await page.selectOption('#g1-a0-lever', 'people');
        await Promise.all([page.waitForNavigation(), page.click('form:has(#g1-a0-activity) button')]);
        const plan = await page.textContent('.plan');
        for (const s of ['Every learner leaves with a path', 'Collect learner-level outcomes', 'Survey what users want', 'People'])
            assert(plan.includes(s), `the plan lacks "${s}"`);
    });
    await check('the printable report has the heat map and the plan', async () => {
        await page.goto(`${base}/assess/print?id=${id}&lang=en`);
        assert((await page.locator('table.heatmap').count()) === 1, 'no heat map');
        assert((await page.locator('.plan.printable').count()) === 1, 'no plan');
        await page.emulateMedia({ media: 'print' });
        assert(!(await page.isVisible('nav.subnav')), 'the page navigation prints');
        await page.emulateMedia({ media: 'screen' });
    });
    await ctx.close();
    return id;
}

// ---- every page, both languages: axe, lang, console, CSP --------------------------

const axeStats = { pages: 0, violations: 0 };

async function checkPages(browser, base, id, axeSource) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, base, ADMIN);
    // a second assessment, so that the comparison has something to show
    p20w(['assess', 't.db', 'import', '-'], p20w(['assess', 't.db', 'export', String(id)]));
    const pages = ['/assess', `/assess/view?id=${id}`, `/assess/rate?id=${id}&core=1`,
        `/assess/rate?id=${id}&core=2`, `/assess/plan?id=${id}`, `/assess/print?id=${id}`,
        '/assess/evidence', `/assess/compare?id=${id}&with=${id + 1}`];
    for (const lang of ['en', 'es']) {
        for (const p of pages) {
            const url = `${base}${p}${p.includes('?') ? '&' : '?'}lang=${lang}`;
            await check(`${p} [${lang}] axe WCAG 2.1 AA, lang, console, CSP`, async () => {
                problems.length = 0;
                const resp = await page.goto(url);
                assert(resp.status() === 200, `status ${resp.status()}`);
                assert((await page.getAttribute('html', 'lang')) === lang, 'html lang');
                // evaluated through the DevTools protocol, not as an inline
                // script: the page's CSP stays as it is
                await page.evaluate(axeSource);
                const v = await page.evaluate(async (tags) => {
                    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
                    return res.violations.map((x) => `${x.id} (${x.impact}, ${x.nodes.length}x: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`);
                }, AXE_TAGS);
                axeStats.pages++;
                axeStats.violations += v.length;
                assert(v.length === 0, `${v.length} violations: ${v.join('; ')}`);
                assert(problems.length === 0, `console: ${problems.join(' | ')}`);
                if (lang === 'es') {
                    const h = await page.textContent('main');
                    assert(!/Your assessments|Heat map|Save and go|What p20w measures here|The plan as it stands/.test(h),
                        'English left on the Spanish page');
                }
                return '0 violations';
            });
        }
    }
    // The run's result becomes the stored fact behind 5A's auto-evidence.
    await check('the axe result, recorded, shows as measured evidence for 5A', async () => {
        const version = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules/axe-core/package.json'), 'utf8')).version;
        p20w(['assess', 't.db', 'record-a11y', '-'], JSON.stringify({
            tool: `axe-core ${version}`, pages: axeStats.pages, violations: axeStats.violations, languages: ['en', 'es'] }));
        await page.goto(`${base}/assess/evidence?lang=en`);
        const v = await page.textContent('#evidence-5A dd[data-key="a11y"]');
        assert(v === String(axeStats.pages), `5A shows ${v}`);
        const s = await page.textContent('#evidence-5A .suggested');
        assert(/Suggested rating:\s*3/.test(s), `5A suggests ${s}`);
    });
    await ctx.close();
}

async function main() {
    const t0 = Date.now();
    let server;
    try {
        buildState();
        ok('state built', `${((Date.now() - t0) / 1000).toFixed(1)} s`);
        server = await startServer();
        const axeSource = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
        try {
            const id = await personPath(browser, server.base);
            if (id > 0)
                await checkPages(browser, server.base, id, axeSource);
        } finally {
            await browser.close();
        }
    } catch (e) {
        fail('browser run', e.stack || e.message);
    } finally {
        if (server) {
            const code = await new Promise((resolve) => {
                server.srv.removeAllListeners('exit');
                server.srv.on('exit', (c) => resolve(c));
                server.srv.kill('SIGTERM');
            });
            if (code === 0 && !/Sanitizer|runtime error/.test(server.errText()))
                ok('server stopped cleanly');
            else
                fail('server stopped cleanly', `exit ${code}: ${server.errText().slice(-800)}`);
        }
    }
    if (failures.length) console.log(`failed: ${failures.join(' ')}`);
    console.log(`${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
