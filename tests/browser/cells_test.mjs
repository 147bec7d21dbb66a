// Unit tests of cells.mjs: the CSV reader, numbers as pages show them,
// what counts as the same cell, and the JSON table shapes.
//   node tests/browser/cells_test.mjs
import { compareRows, jsonRows, parseCsv, parseNumber, sameCell } from './cells.mjs';
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
    ['45.2%', '45.26', false],  // 45.3 when rounded
    ['45.2%', 0.452, true],     // a fraction in the data
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

process.exit(t.finish());
