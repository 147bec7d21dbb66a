// Cells of a table three ways — the HTML table a person reads, the CSV
// download and the JSON API — parsed into rows of strings and compared
// cell for cell.
//
// What "the same cell" means. A page may format a number for reading
// ("1,234", "45.2%", "$41,250") while the CSV and JSON carry it plainly
// (1234, 45.2, 41250); both are the same cell when, after dropping
// thousands separators, currency and percent signs and spaces, they are the
// same number to the precision the page shows (a page showing 45.2 for a
// CSV 45.23 is the same cell; 45.3 is not). A percent on the page may also
// be a fraction in the data (45.2% = 0.452). Anything that is not a number
// (a name, a code, a suppression mark such as "*" or "—") must be the same
// text after trimming and collapsing white space; an empty data value
// matches a page cell that only marks suppression (one of SUPPRESSED_MARKS
// or the text of an <abbr> the page uses for it).

export const SUPPRESSED_MARKS = new Set(['*', '—', '–', '-', '‡', '§', 's', 'n/a', 'suppressed', 'suprimido']);

/** RFC 4180 CSV text to rows of strings (a trailing newline ends the last row). */
export function parseCsv(text) {
    const rows = [];
    let row = [];
    let field = '';
    let quoted = false;
    let i = 0;
    const s = String(text).replace(/^\uFEFF/, '');
    let sawAny = false;
    while (i < s.length) {
        const c = s[i];
        sawAny = true;
        if (quoted) {
            if (c === '"') {
                if (s[i + 1] === '"') {
                    field += '"';
                    i += 2;
                    continue;
                }
                quoted = false;
                i++;
                continue;
            }
            field += c;
            i++;
            continue;
        }
        if (c === '"' && field === '') {
            quoted = true;
            i++;
        } else if (c === ',') {
            row.push(field);
            field = '';
            i++;
        } else if (c === '\r' && s[i + 1] === '\n') {
            row.push(field);
            rows.push(row);
            row = [];
            field = '';
            i += 2;
            sawAny = false;
        } else if (c === '\n') {
            row.push(field);
            rows.push(row);
            row = [];
            field = '';
            i++;
            sawAny = false;
        } else {
            field += c;
            i++;
        }
    }
    if (quoted) throw new Error('CSV: unterminated quoted field');
    if (sawAny || field !== '' || row.length) {
        row.push(field);
        rows.push(row);
    }
    return rows;
}

export function normText(v) {
    if (v === null || v === undefined) return '';
    return String(v).replace(/\s+/g, ' ').trim();
}

/**
 * A displayed or data value as a number: { value, decimals, percent } or
 * null when it is not one. Accepts "1,234", "$41,250", "45.2%", "-3",
 * "0.452", " 12 ". Decimal commas are not used by the pages (Spanish pages
 * keep the '.' so that numbers read the same in both languages and in the
 * data).
 */
export function parseNumber(v) {
    if (typeof v === 'number') {
        if (!Number.isFinite(v)) return null;
        const str = String(v);
        const dot = str.indexOf('.');
        return { value: v, decimals: dot < 0 ? 0 : str.length - dot - 1, percent: false };
    }
    let s = normText(v);
    if (s === '') return null;
    let percent = false;
    if (/%$/.test(s)) {
        percent = true;
        s = s.slice(0, -1).trim();
    }
    s = s.replace(/^\$/, '').replace(/^(-)\$/, '$1');
    if (!/^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(s)) return null;
    s = s.replace(/,/g, '').replace('−', '-');
    const dot = s.indexOf('.');
    return { value: Number(s), decimals: dot < 0 ? 0 : s.length - dot - 1, percent };
}

/**
 * 1 when a page cell and a data value are the same cell (see the top of
 * the file). `marks` is extra suppression text the page uses.
 */
export function sameCell(pageCell, dataValue, marks = []) {
    const p = normText(pageCell);
    const d = dataValue === null || dataValue === undefined ? '' : dataValue;
    const dn = normText(d);
    if (p === dn) return true;
    const pl = p.toLowerCase();
    if (dn === '' && (SUPPRESSED_MARKS.has(pl) || marks.some((m) => normText(m).toLowerCase() === pl))) {
        return true;
    }
    const pn = parseNumber(p);
    const qn = parseNumber(d);
    if (!pn || !qn) return false;
    // same number to the page's precision; the page may be a rounded view
    const tol = 0.5 * 10 ** -pn.decimals + 1e-9;
    if (Math.abs(pn.value - qn.value) <= tol) return true;
    if (pn.percent && Math.abs(pn.value - qn.value * 100) <= tol) return true;
    return false;
}

/**
 * Compares a page table (rows of strings, header first) with data rows
 * (header first). Returns a list of differences, empty when they hold the
 * same cells: same number of rows, of columns in every row, and every
 * cell the same.
 */
export function compareRows(pageRows, dataRows, marks = [], limit = 5) {
    const diffs = [];
    if (pageRows.length !== dataRows.length) {
        diffs.push(`${pageRows.length} rows on the page, ${dataRows.length} in the data`);
    }
    const n = Math.min(pageRows.length, dataRows.length);
    for (let r = 0; r < n && diffs.length < limit; r++) {
        const a = pageRows[r];
        const b = dataRows[r];
        if (a.length !== b.length) {
            diffs.push(`row ${r}: ${a.length} cells on the page, ${b.length} in the data`);
            continue;
        }
        for (let c = 0; c < a.length && diffs.length < limit; c++) {
            if (!sameCell(a[c], b[c], marks)) {
                diffs.push(`row ${r} col ${c}: page ${JSON.stringify(normText(a[c]))}, data ${JSON.stringify(b[c])}`);
            }
        }
    }
    return diffs;
}

/**
 * Rows (header first) of a JSON table. Takes the shapes an API commonly
 * uses: {columns: [...], rows: [[...], ...]}, {header, rows}, an array of
 * arrays, or an array of objects (columns in the order of the first
 * object's keys, or of `columns` when given as objects' names); a wrapper
 * object holding one of these under "table", "data", "cells" or "rows".
 */
export function jsonRows(doc, columnsHint) {
    const asStr = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    if (doc && !Array.isArray(doc) && typeof doc === 'object') {
        let cols = doc.columns || doc.header;
        if (Array.isArray(cols) && Array.isArray(doc.rows)) {
            cols = cols.map((c) => (c && typeof c === 'object' ? (c.label ?? c.title ?? c.name) : c));
            const keys = doc.columns.map((c) => (c && typeof c === 'object' ? (c.name ?? c.key ?? c.id) : c));
            return [cols.map(asStr), ...doc.rows.map((r) => (Array.isArray(r)
                ? r.map(asStr)
                : keys.map((k) => asStr(r[k]))))];
        }
        for (const k of ['table', 'data', 'cells', 'rows']) {
            if (doc[k] !== undefined) return jsonRows(doc[k], columnsHint);
        }
        throw new Error(`JSON: no table in an object with keys ${Object.keys(doc).join(', ')}`);
    }
    if (Array.isArray(doc)) {
        if (doc.length === 0) return columnsHint ? [columnsHint] : [];
        if (Array.isArray(doc[0])) return doc.map((r) => r.map(asStr));
        const keys = columnsHint || Object.keys(doc[0]);
        return [keys, ...doc.map((o) => keys.map((k) => asStr(o[k])))];
    }
    throw new Error('JSON: not a table');
}
