// Unit tests of cells.mjs: the CSV reader, numbers as pages show them,
// what counts as the same cell, and the JSON table shapes.
//   node tests/browser/cells_test.mjs
import { checkRowShown, compareKeyedCsv, compareKeyedJson, compareRows, jsonRows, parseCsv, parseNumber, sameCell } from './cells.mjs';
import { Tally } from './harness.mjs';

const t = new Tally('cells');
const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const same = (name, got, want) => t.check(name, eq(got, want), `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);

// --- CSV ------------------------------------------------------------------------
same('csv: plain rows, CRLF', parseCsv('a,b\r\n1,2\r\n'), [['a', 'b'], ['1', '2']]);
same('csv: LF and no final newline', parseCsv('a,b\n1,2'), [['a', 'b'], ['1', '2']]);
same('csv: quotes, commas, doubled quotes and newlines inside',
    parseCsv('name,note\r\n"Smith, J","said ""hi""\nthen left"\r\n'), [['name', 'note'], ['Smith, J', 'said "hi"\nthen left']]);
same('csv: empty fields', parseCsv('a,,c\r\n,,\r\n'), [['a', '', 'c'], ['', '', '']]);
same('csv: a byte-order mark is dropped', parseCsv('\uFEFFa\r\n1\r\n'), [['a'], ['1']]);
same('csv: UTF-8 text', parseCsv('región,año\r\nMéxico,2023\r\n'), [['región', 'año'], ['México', '2023']]);
same('csv: empty text is no rows', parseCsv(''), []);
t.check('csv: an unterminated quote is an error', (() => {
    try { parseCsv('a\r\n"open'); return false; } catch (e) { return /unterminated/.test(e.message); }
})());

// --- numbers --------------------------------------------------------------------
same('number: thousands separators', parseNumber('1,234'), { value: 1234, decimals: 0, percent: false });
same('number: percent', parseNumber('45.2%'), { value: 45.2, decimals: 1, percent: true });
same('number: currency', parseNumber('$41,250'), { value: 41250, decimals: 0, percent: false });
same('number: negative', parseNumber('-3.50'), { value: -3.5, decimals: 2, percent: false });
same('number: a JSON number', parseNumber(0.452), { value: 0.452, decimals: 3, percent: false });
for (const s of ['', '*', 'Region A', '12a', '1,23', '1.2.3', 'KY0001', '—']) {
    t.check(`number: ${JSON.stringify(s)} is not a number`, parseNumber(s) === null, `got ${JSON.stringify(parseNumber(s))}`);
}

// --- the same cell ---------------------------------------------------------------
for (const [p, d, want] of [
    ['Region A', 'Region A', true],
    [' Region   A ', 'Region A', true],
    ['Region A', 'Region B', false],
    ['1,234', '1234', true],
    ['1,234', 1234, true],
    ['1,234', '1235', false],
    ['45.2%', '45.2', true],
    ['45.2%', '45.23', true],   // the page rounds to one decimal
    ['45.2%', '45.29', true],   // rounded down (or towards 50 %)
    ['45.2%', '45.11', true],   // rounded up
    ['45.2%', '45.3', false],   // one unit apart
    ['45.2%', '45.1', false],
    ['45.2%', 0.452, true],     // a fraction in the data
    ['24.2%', 0.24113475177304963, true], // 34/141 rounded towards 50 %
    ['45%', '0.4549', true],
    ['45%', '0.46', false],
    ['$41,250', '41250', true],
    ['*', '', true],            // suppressed: empty in the data
    ['*', null, true],
    ['—', '', true],
    ['12', '', false],          // a number on the page, none in the data
    ['', '12', false],
    ['*', '12', false],         // suppressed on the page, shown in the data
]) {
    t.check(`same cell: page ${JSON.stringify(p)} ~ data ${JSON.stringify(d)} is ${want}`, sameCell(p, d) === want);
}
t.check('same cell: a mark the page declares', sameCell('(s)', '', ['(s)']) && !sameCell('(s)', ''));

// --- tables ----------------------------------------------------------------------
same('compare: equal tables', compareRows([['a', 'b'], ['1,000', '*']], [['a', 'b'], ['1000', '']]), []);
same('compare: a missing row', compareRows([['a'], ['1'], ['2']], [['a'], ['1']]), ['3 rows on the page, 2 in the data']);
same('compare: a short row', compareRows([['a', 'b']], [['a']]), ['row 0: 2 cells on the page, 1 in the data']);
same('compare: a different cell', compareRows([['a'], ['1']], [['a'], ['2']]), ['row 1 col 0: page "1", data "2"']);

// --- JSON shapes -------------------------------------------------------------------
same('json: columns and rows', jsonRows({ columns: ['a', 'b'], rows: [[1, null]] }), [['a', 'b'], ['1', '']]);
same('json: column objects and row objects', jsonRows({ columns: [{ name: 'x', label: 'X' }], rows: [{ x: 5 }] }), [['X'], ['5']]);
same('json: array of objects', jsonRows([{ a: 1, b: 'z' }, { a: 2, b: null }]), [['a', 'b'], ['1', 'z'], ['2', '']]);
same('json: array of arrays', jsonRows([['a'], [1]]), [['a'], ['1']]);
same('json: wrapped', jsonRows({ table: { columns: ['a'], rows: [[3]] } }), [['a'], ['3']]);
t.check('json: no table is an error', (() => {
    try { jsonRows({ nothing: 1 }); return false; } catch (e) { return /no table/.test(e.message); }
})());

// --- Spanish numbers ------------------------------------------------------------
same('number es: "1.234,5"', parseNumber('1.234,5', 'es'), { value: 1234.5, decimals: 1, percent: false });
same('number es: "45,2 %"', parseNumber('45,2 %', 'es'), { value: 45.2, decimals: 1, percent: true });
same('number es: "1 234" with a no-break space', parseNumber('1\u00a0234', 'es'), { value: 1234, decimals: 0, percent: false });
t.check('number es: "1,234.5" is not Spanish', parseNumber('1,234.5', 'es') === null);
t.check('same cell es: "45,2 %" ~ 0.452', sameCell('45,2 %', '0.452', [], 'es'));

// --- keyed rows ---------------------------------------------------------------------
const row = (attrs, cells) => ({ attrs: { indicator: 'EMP', year: '2022', by: 'sex', key: 'F', status: 'P', ...attrs }, cells });
same('keyed: a row showing its value and n', checkRowShown(row({ value: '0.4523', n: '1234' }, ['Female', '45.2%', '1,234', 'Published'])), []);
same('keyed: a suppressed row showing n only', checkRowShown(row({ status: 'S', n: '14' }, ['Male', 'fewer than 10', '14', 'Hidden'])), []);
t.check('keyed: a row showing a number not its own', checkRowShown(row({ value: '0.4523', n: '1234' }, ['Female', '47.0%', '1,234'])).length === 2);
t.check('keyed: a row hiding its n', checkRowShown(row({ value: '0.4523', n: '1234' }, ['Female', '45.2%', '–'])).some((d) => /its n 1234 is not shown/.test(d)));
t.check('keyed: a published row with no number shown', checkRowShown(row({ value: '0.5' }, ['Female', 'about half'])).some((d) => /not shown|shows no number/.test(d)));
same('keyed: Spanish cells', checkRowShown(row({ value: '0.4523', n: '1234' }, ['Mujer', '45,2 %', '1.234']), 'es'), []);
same('keyed: percentiles in dollars', checkRowShown(row({ value: '41250', median: '41250', p25: '30000', p75: '52000.5', n: '300' }, ['All', '$41,250', '$30,000', '$52,001', '300'])), []);

const HEAD = ['indicator', 'year', 'by', 'values', 'status', 'shown', 'value', 'n', 'numerator', 'denominator', 'rate_lo', 'rate_hi', 'p25', 'median', 'p75'];
const csvRow = (o) => HEAD.map((h) => o[h] ?? '');
const rows2 = [row({ by: '', key: '', value: '0.5', n: '100' }, []), row({ value: '0.4523', n: '40' }, [])];
same('keyed CSV: the same rows', compareKeyedCsv(rows2, [HEAD,
    csvRow({ indicator: 'EMP', year: '2022', status: 'P', value: '0.5', n: '100' }),
    csvRow({ indicator: 'EMP', year: '2022', by: 'sex', values: 'F', status: 'P', value: '0.4523', n: '40' })]), []);
same('keyed CSV: a number differs', compareKeyedCsv(rows2, [HEAD,
    csvRow({ indicator: 'EMP', year: '2022', status: 'P', value: '0.5', n: '100' }),
    csvRow({ indicator: 'EMP', year: '2022', by: 'sex', values: 'F', status: 'P', value: '0.4524', n: '40' })]), ['row 2 value: page "0.4523", CSV "0.4524"']);
same('keyed CSV: a number only in the CSV', compareKeyedCsv(rows2.slice(0, 1), [HEAD,
    csvRow({ indicator: 'EMP', year: '2022', status: 'P', value: '0.5', n: '100', numerator: '50' })]), ['row 1 numerator: page "", CSV "50"']);
same('keyed CSV: a row more', compareKeyedCsv(rows2.slice(0, 1), [HEAD,
    csvRow({ indicator: 'EMP', year: '2022', status: 'P', value: '0.5', n: '100' }),
    csvRow({ indicator: 'EMP', year: '2022', status: 'P', value: '0.5', n: '100' })]), ['1 rows on the page, 2 in the CSV']);
same('keyed CSV: no header', compareKeyedCsv(rows2, [['a']]), ['the CSV has no column year', 'the CSV has no column status']);

const cells = [
    { year: 2022, sex: 'F', status: 'P', value: 0.4523, n: 40 },
    { year: 2022, sex: 'M', status: 'S', n: 14 },
    { year: 2021, sex: 'F', status: 'P', value: 0.4, n: 30 },
];
same('keyed JSON: the same cell', compareKeyedJson([row({ value: '0.4523', n: '40' }, [])], cells), []);
same('keyed JSON: a suppressed cell', compareKeyedJson([row({ key: 'M', status: 'S', n: '14' }, [])], cells), []);
t.check('keyed JSON: a value only in the API', compareKeyedJson([row({ key: 'M', status: 'S' }, [])], cells).length === 1);
t.check('keyed JSON: another status', compareKeyedJson([row({ status: 'C', value: '0.4523', n: '40' }, [])], cells).length === 1);
same('keyed JSON: no such cell', compareKeyedJson([row({ year: '2020', value: '0.4' }, [])], cells), ['EMP 2020 sex=F: no such cell in the API']);
same('keyed JSON: the state total', compareKeyedJson([row({ by: '', key: '', value: '0.5', n: '100' }, [])], [{ year: 2022, status: 'P', value: 0.5, n: 100 }]), []);

// shares: a group's total and its categories are cells of the same key
const share = (attrs) => row({ indicator: 'OUT', by: 'race', key: 'AS', ...attrs }, []);
const shareCells = [
    { year: 2022, race: 'AS', status: 'P', value: 212, n: 212 },
    { year: 2022, race: 'AS', category: 'Employed only', status: 'P', value: 0.5, n: 212, numerator: 106 },
    { year: 2022, race: 'AS', category: 'Postsecondary only', status: 'S', n: 212 },
];
same('keyed JSON: a share group total', compareKeyedJson([share({ category: '', value: '212', n: '212' })], shareCells), []);
same('keyed JSON: a share category', compareKeyedJson([share({ category: 'Employed only', value: '0.5', n: '212', numerator: '106' })], shareCells), []);
t.check('keyed JSON: a category with the numbers of another',
    compareKeyedJson([share({ category: 'Postsecondary only', value: '0.5', n: '212', numerator: '106' })], shareCells).length === 1);
same('keyed JSON: no such category', compareKeyedJson([share({ category: 'Apprenticeship', status: 'S', n: '212' })], shareCells),
    ['OUT 2022 race=AS category="Apprenticeship": no such cell in the API']);
t.check('keyed JSON: a cell of another indicator (cells naming theirs)',
    compareKeyedJson([row({ value: '0.4523', n: '40' }, [])], cells.map((c) => ({ ...c, indicator: 'OTHER' }))).length === 1);
t.check('keyed JSON: a cell of another table (cells naming theirs)',
    compareKeyedJson([row({ by: '', key: '', value: '0.5', n: '100' }, [])], [{ year: 2022, by: 'school', school: 'X', status: 'P', value: 0.5, n: 100 }]).length === 1);
const SHEAD = ['indicator', 'year', 'by', 'values', 'category', 'status', 'shown', 'value', 'n', 'numerator', 'denominator', 'rate_lo', 'rate_hi', 'p25', 'median', 'p75'];
const srow = (o) => SHEAD.map((h) => o[h] ?? '');
same('keyed CSV: share rows with their categories', compareKeyedCsv([share({ category: '', value: '212', n: '212' }), share({ category: 'Employed only', value: '0.5', n: '212', numerator: '106' })], [SHEAD,
    srow({ indicator: 'OUT', year: '2022', by: 'race', values: 'AS', status: 'P', value: '212', n: '212' }),
    srow({ indicator: 'OUT', year: '2022', by: 'race', values: 'AS', category: 'Employed only', status: 'P', value: '0.5', n: '212', numerator: '106' })]), []);
same('keyed CSV: another category', compareKeyedCsv([share({ category: 'Employed only', status: 'S', n: '212' })], [SHEAD,
    srow({ indicator: 'OUT', year: '2022', by: 'race', values: 'AS', category: 'Postsecondary only', status: 'S', n: '212' })]),
    ['row 1 category: page "Employed only", CSV "Postsecondary only"']);
same('keyed CSV: a category the CSV lacks', compareKeyedCsv([share({ category: 'Employed only', status: 'S', n: '212' })], [HEAD,
    csvRow({ indicator: 'OUT', year: '2022', by: 'race', values: 'AS', status: 'S', n: '212' })]),
    ['row 1: the page names a category, the CSV has no column category']);

process.exit(t.finish());
