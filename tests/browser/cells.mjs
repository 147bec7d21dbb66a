// Cells of a table three ways — the HTML table a person reads, the CSV
// download and the JSON API — parsed into rows of strings and compared
// cell for cell.
//
// What "the same cell" means. A page may format a number for reading
// ("1,234", "45.2%", "$41,250") while the CSV and JSON carry it plainly
// (1234, 45.2, 41250); both are the same cell when, after dropping
// thousands separators, currency and percent signs and spaces, they are the
// same number to the precision the page shows, rounded either way: less
// than one unit of its last digit apart (a page showing 45.2 for a CSV
// 45.23 or 45.27 is the same cell; 45.4 is not). Pages may round towards
// 50 % (p20w does, as disclosure control labels rates) or down. A percent on the page may also
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
 * "0.452", " 12 " in English; "1.234", "1 234", "45,2 %" in Spanish (lang
 * "es"). Data values (CSV, JSON, data-* attributes) are always read the
 * English way: parseNumber(v) with no lang.
 */
export function parseNumber(v, lang = 'en') {
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
        s = s.slice(0, -1).replace(/[\s\u00a0\u202f]+$/, '');
    }
    s = s.replace(/^\$\s?/, '').replace(/^([-−])\$/, '$1').replace(/\s?\$$/, '');
    if (lang === 'es') {
        // Spanish: "1.234,5" or "1 234,5" (a space or no-break space)
        if (!/^[-+−]?(?:\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?$/.test(s)) return null;
        s = s.replace(/[. \u00a0\u202f]/g, '').replace(',', '.').replace('−', '-');
    } else {
        if (!/^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(s)) return null;
        s = s.replace(/,/g, '').replace('−', '-');
    }
    const dot = s.indexOf('.');
    return { value: Number(s), decimals: dot < 0 ? 0 : s.length - dot - 1, percent };
}

/**
 * 1 when a page cell and a data value are the same cell (see the top of
 * the file). `marks` is extra suppression text the page uses.
 */
export function sameCell(pageCell, dataValue, marks = [], lang = 'en') {
    const p = normText(pageCell);
    const d = dataValue === null || dataValue === undefined ? '' : dataValue;
    const dn = normText(d);
    if (p === dn) return true;
    const pl = p.toLowerCase();
    if (dn === '' && (SUPPRESSED_MARKS.has(pl) || marks.some((m) => normText(m).toLowerCase() === pl))) {
        return true;
    }
    const pn = parseNumber(p, lang);
    const qn = parseNumber(d);
    if (!pn || !qn) return false;
    // the same number to the page's precision, rounded either way
    const tol = 10 ** -pn.decimals - 1e-9;
    if (Math.abs(pn.value - qn.value) < tol) return true;
    if (pn.percent && Math.abs(pn.value - qn.value * 100) < tol) return true;
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

// ---- tables whose rows say which cell they show ------------------------------
//
// p20w's pages mark each data row of a table with the cell it shows:
// <tr data-indicator="EMP_Q2" data-year="2022" data-by="sex" data-key="F"
// data-status="P" data-value="0.4523" data-n="1234" ...>, the numbers
// exactly as the CSV and the API carry them (rows that only head a section
// have no data-key). Three things are then checked:
//   1. the row shows its own numbers: every number in its visible cells
//      is one of its data numbers (to the precision shown; a percent may
//      be a fraction), and its value and n, when it has them, are shown;
//   2. the CSV has one line per data row, in order, with the same
//      indicator, year, by, values (the key), category (a share's row:
//      data-category, "" for a group's total), status and every number
//      field the same text;
//   3. the API has, in the table named by the row's by, a cell of the
//      same year, values and category (and indicator and by, when the
//      cells name them) with the same status and numbers.

export const NUMBER_FIELDS = ['value', 'n', 'numerator', 'denominator', 'rate_lo', 'rate_hi', 'p25', 'median', 'p75'];

/** 1. A keyed row's visible cells against its data numbers; differences. */
export function checkRowShown(row, lang = 'en') {
    const diffs = [];
    const data = NUMBER_FIELDS.filter((f) => row.attrs[f] !== undefined && row.attrs[f] !== '')
        .map((f) => [f, row.attrs[f]]);
    const shown = row.cells.map((c) => parseNumber(c, lang)).filter((x) => x);
    const label = `row ${row.attrs.by || 'total'}=${row.attrs.key}`;
    for (const c of row.cells) {
        const pn = parseNumber(c, lang);
        if (!pn) continue;
        if (!data.some(([, v]) => sameCell(c, v, [], lang))) {
            diffs.push(`${label}: shows ${JSON.stringify(c)}, not one of its numbers (${data.map(([f, v]) => `${f}=${v}`).join(', ')})`);
        }
    }
    for (const f of ['value', 'n']) {
        if (row.attrs[f] === undefined || row.attrs[f] === '') continue;
        if (!row.cells.some((c) => parseNumber(c, lang) && sameCell(c, row.attrs[f], [], lang))) {
            diffs.push(`${label}: its ${f} ${row.attrs[f]} is not shown (cells ${JSON.stringify(row.cells)})`);
        }
    }
    if (shown.length === 0 && data.length && row.attrs.status === 'P') {
        diffs.push(`${label}: published but shows no number`);
    }
    return diffs;
}

/** 2. Keyed page rows against the CSV rows (header first); differences. */
export function compareKeyedCsv(rows, csv, limit = 5) {
    const diffs = [];
    if (csv.length === 0) return ['the CSV is empty'];
    const head = csv[0];
    const col = (name) => head.indexOf(name);
    for (const need of ['year', 'status']) {
        if (col(need) < 0) diffs.push(`the CSV has no column ${need}`);
    }
    if (diffs.length) return diffs;
    const body = csv.slice(1);
    if (body.length !== rows.length) diffs.push(`${rows.length} rows on the page, ${body.length} in the CSV`);
    for (let i = 0; i < Math.min(rows.length, body.length) && diffs.length < limit; i++) {
        const a = rows[i].attrs;
        const b = body[i];
        const want = [['indicator', a.indicator], ['year', a.year], ['by', a.by], ['values', a.key], ['category', a.category], ['status', a.status]];
        for (const f of NUMBER_FIELDS) want.push([f, a[f] ?? '']);
        for (const [f, v] of want) {
            if (f === 'category' && v !== undefined && col(f) < 0) {
                diffs.push(`row ${i + 1}: the page names a category, the CSV has no column category`);
                continue;
            }
            if (col(f) < 0 || v === undefined) continue;
            if (b[col(f)] !== v) diffs.push(`row ${i + 1} ${f}: page ${JSON.stringify(v)}, CSV ${JSON.stringify(b[col(f)])}`);
        }
    }
    return diffs;
}

/**
 * 3. Keyed page rows of one `by` against the API's cells of that table
 * (the "cells" array of /api/v1/cells); differences.
 */
export function compareKeyedJson(rows, cells, limit = 5) {
    const diffs = [];
    for (const row of rows) {
        if (diffs.length >= limit) break;
        const a = row.attrs;
        const dims = a.by ? a.by.split(',') : [];
        const vals = dims.length ? a.key.split(',') : [];
        const found = cells.filter((c) => String(c.year) === a.year && dims.every((d, i) => String(c[d]) === vals[i]) &&
            (a.category === undefined || String(c.category ?? '') === a.category) &&
            (c.indicator === undefined || c.indicator === a.indicator) &&
            (c.by === undefined || c.by === (a.by || '')));
        const label = `${a.indicator || ''} ${a.year} ${a.by || 'total'}=${a.key}${a.category !== undefined ? ` category=${JSON.stringify(a.category)}` : ''}`.trim();
        if (found.length === 0) {
            diffs.push(`${label}: no such cell in the API`);
            continue;
        }
        const same = (c) => c.status === a.status && NUMBER_FIELDS.every((f) => (a[f] === undefined || a[f] === ''
            ? c[f] === undefined || c[f] === null
            : typeof c[f] === 'number' && c[f] === Number(a[f])));
        if (!found.some(same)) {
            const c = found[0];
            diffs.push(`${label}: page status ${a.status} ${NUMBER_FIELDS.filter((f) => a[f]).map((f) => `${f}=${a[f]}`).join(' ')}; API status ${c.status} ${NUMBER_FIELDS.filter((f) => c[f] !== undefined).map((f) => `${f}=${c[f]}`).join(' ')}`);
        }
    }
    return diffs;
}
