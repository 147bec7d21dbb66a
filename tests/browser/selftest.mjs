// The harness's own test: run.mjs against fixture.mjs, a small site shaped
// like p20w serve's. The good site must pass every check; the bad one must
// fail exactly the checks of the faults planted in it (see fixture.mjs),
// so a green browser tier means the checks can see what they look for.
//   node tests/browser/selftest.mjs
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Tally } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const t = new Tally('selftest');

function run(cmd, args, env = {}) {
    return new Promise((resolve) => {
        const c = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        c.stdout.on('data', (d) => { out += d; });
        c.stderr.on('data', (d) => { out += d; });
        c.on('exit', (code) => resolve({ code, out }));
    });
}

function startFixture(bad) {
    return new Promise((resolve, reject) => {
        const c = spawn(process.execPath, [path.join(HERE, 'fixture.mjs'), '0', ...(bad ? ['bad'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
        c.stdout.once('data', (d) => resolve({ base: `http://127.0.0.1:${String(d).trim()}`, stop: () => c.kill('SIGTERM') }));
        c.on('error', reject);
    });
}

// The faults planted in the bad site and the FAIL line each must cause.
const EXPECTED = [
    ['wrong <html lang>', /^FAIL \/ \[es\] <html lang="es">: <html lang="en">/m],
    ['Accept-Language ignored', /^FAIL Accept-Language es-MX gives <html lang="es">/m],
    ['axe: image without alt', /^FAIL \/outcomes \[en\] axe WCAG 2\.1 AA: 1 violations: image-alt/m],
    ['FK grade', /^FAIL \/outcomes \[en\] explanatory text at FK grade <= 8: grade \d+/m],
    ['CSV differs from the table', /^FAIL \/outcomes \[en\] table .* CSV = table: .*row 2 col 2: page "1364", data "1365"/m],
    ['JSON drops a row', /^FAIL \/report\/school\/:id \[en\] table .* JSON = table: .*2 rows on the page, 1 in the data/m],
    ['a filter that changes nothing', /^FAIL \/outcomes \[en\] filter "group" changes the numbers: the numbers shown are the same/m],
    ['invisible focus', /^FAIL \/outcomes \[en\] keyboard reaches every control: focus not visible/m],
    ['a script that throws', /^FAIL \/outcomes \[en\] no console error: uncaught/m],
    ['a broken link', /^FAIL every link found answers 200: 1 of \d+ broken: \/gone \(HTTP 404/m],
    ['a row showing another number', /^FAIL \/topic \[en\] table .* shows the numbers of its cells: row sex=F: shows "53\.0%", not one of its numbers/m],
    ['a CSV status that differs', /^FAIL \/topic \[en\] table .* CSV = table: .*row 3 status: page "S", CSV "P"/m],
    ['API numbers that differ', /^FAIL \/topic \[en\] table .* JSON = table: .*by=sex.*2023 sex=F: page status P value=0\.52 n=210; API status P value=0\.52 n=211/m],
    ['an inline script', /^FAIL \/outcomes \[en\] no CSP violation: .*inline script/m],
];

const good = await startFixture(false);
const bad = await startFixture(true);
try {
    // both at once: chromium waits on the network as much as on the CPU
    const shots = path.resolve(HERE, '../../build/browser/selftest');
    const [g, b] = await Promise.all([
        run(process.execPath, [path.join(HERE, 'run.mjs')], { BROWSER_BASE: good.base, BROWSER_SHOTS: `${shots}/good` }),
        run(process.execPath, [path.join(HERE, 'run.mjs')], { BROWSER_BASE: bad.base, BROWSER_SHOTS: `${shots}/bad` }),
    ]);
    const gs = /^(\d+) passed, (\d+) failed$/m.exec(g.out);
    t.check('selftest: the good site passes every check', g.code === 0 && gs && gs[2] === '0' && Number(gs[1]) > 50,
        `exit ${g.code}: ${g.out.split('\n').filter((l) => l.startsWith('FAIL') || / passed, /.test(l)).join(' | ').slice(0, 1500)}`,
        gs ? `${gs[1]} checks` : '');
    t.check('selftest: the bad site fails', b.code === 1, `exit ${b.code}`);
    for (const [what, re] of EXPECTED) {
        t.check(`selftest: finds ${what}`, re.test(b.out), `no line matching ${re}`);
    }
    const fails = b.out.split('\n').filter((l) => l.startsWith('FAIL '));
    // the planted faults show on other pages and in the other language too
    const unexplained = fails.filter((l) => !EXPECTED.some(([, re]) => re.test(l))
        && !/\[es\]|\[en\] keyboard reaches every control: focus not visible/.test(l));
    t.check('selftest: no failure but the planted ones', unexplained.length === 0, unexplained.join(' | ').slice(0, 1500));
} finally {
    good.stop();
    bad.stop();
}
process.exit(t.finish());
