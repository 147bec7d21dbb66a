// A tiny test harness in the style of tests/run.sh: "ok   NAME" or
// "FAIL NAME: why" per check, and a closing "N passed, N failed" line.

export class Tally {
    constructor(label) {
        this.label = label;
        this.passed = 0;
        this.failed = 0;
        this.failures = [];
    }

    ok(name, detail) {
        this.passed++;
        console.log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
    }

    fail(name, why) {
        this.failed++;
        this.failures.push(name);
        console.log(`FAIL ${name}: ${why}`);
    }

    /** Records one check: passes when cond is true. */
    check(name, cond, why, detail) {
        if (cond) this.ok(name, detail);
        else this.fail(name, why || 'check failed');
        return cond;
    }

    /** Runs fn (may be async); a throw is a failure. */
    async run(name, fn) {
        try {
            const detail = await fn();
            this.ok(name, typeof detail === 'string' ? detail : undefined);
            return true;
        } catch (e) {
            this.fail(name, (e && e.message ? e.message : String(e)).split('\n').slice(0, 6).join(' | '));
            return false;
        }
    }

    /** Prints the summary line and returns the exit code. */
    finish() {
        if (this.failures.length) console.log(`failed: ${this.failures.join(' ')}`);
        console.log(`${this.passed} passed, ${this.failed} failed`);
        return this.failed === 0 ? 0 : 1;
    }
}

export function assert(cond, msg) {
    if (!cond) throw new Error(msg);
}
