// A small web site shaped like p20w serve's, for the harness's own test
// (selftest.mjs): run.mjs must pass it when it is good and find every fault
// planted in its bad variant. It is not p20w and tests nothing of p20w.
//
//   node tests/browser/fixture.mjs PORT [bad]
//
// Pages: / (home: nav), /outcomes (a dashboard: year and group filters, an
// SVG chart, a table, CSV and JSON links, explanation), /report/school/S1
// (a feedback report), /sitemap.xml, /api/v1/outcomes, /outcomes.csv,
// /static/site.css and /static/bad.js.
//
// The bad variant plants one fault of each kind the harness checks:
// the Spanish home says lang="en"; /outcomes has an image without alt
// text (axe), an inline script (CSP violation), a script that throws
// (console error), a CSV cell that differs from the table, a "group"
// filter that changes nothing, explanatory text at a college grade, and
// links whose focus is invisible; the report's JSON drops a row; the home
// page links to a page that does not exist; on /topic (a table shaped
// like p20w's) a row shows another number than its own, the CSV has
// another status, the API other counts.
import http from 'node:http';

const port = Number(process.argv[2] || 0);
const bad = process.argv[3] === 'bad';

const T = {
    en: {
        home: 'Outcomes of learners in the state', outcomes: 'Where graduates go',
        report: 'School report', year: 'Year', group: 'Group', show: 'Show',
        all: 'All', f: 'Female', m: 'Male', csv: 'Download CSV', json: 'Data as JSON',
        explain: ['This page shows how many graduates found a job. Some numbers are hidden to protect privacy.', 'A star means the number is hidden.'],
        hard: ['Institutional heterogeneity notwithstanding, longitudinal postsecondary enrollment determinations incorporate multidimensional administrative documentation originating from participating organizations.'],
        rate: 'Rate', n: 'Learners', chart: 'Employment rate by year', nav: 'Main',
        skip: 'Skip to content', lang: 'Español',
    },
    es: {
        home: 'Resultados de los estudiantes del estado', outcomes: 'A dónde van los graduados',
        report: 'Informe de la escuela', year: 'Año', group: 'Grupo', show: 'Mostrar',
        all: 'Todos', f: 'Mujer', m: 'Hombre', csv: 'Descargar CSV', json: 'Datos en JSON',
        explain: ['Esta página muestra cuántos graduados encontraron trabajo. Algunos números se ocultan para proteger la privacidad.', 'Una estrella indica un número oculto.'],
        hard: ['Texto difícil.'],
        rate: 'Tasa', n: 'Estudiantes', chart: 'Tasa de empleo por año', nav: 'Principal',
        skip: 'Ir al contenido', lang: 'English',
    },
};

const YEARS = ['2021', '2022', '2023'];
const GROUPS = ['all', 'f', 'm'];

// The numbers of the dashboard: year x group.
function outcomeRows(year, group) {
    const y = YEARS.indexOf(year);
    const g = bad ? 0 : GROUPS.indexOf(group);
    return [
        ['Region A', (41.5 + y + g).toFixed(1) + '%', String(1200 + 10 * y + 100 * g)],
        ['Region B', (55.25 + y - g).toFixed(1) + '%', String(1350 + 7 * y + 50 * g)],
        ['Region C', '*', '*'],
    ];
}

function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function layout(lang, title, body, extraHead = '') {
    const L = T[lang];
    const htmlLang = bad && title === T.es.home ? 'en' : lang;
    const other = lang === 'en' ? 'es' : 'en';
    return `<!doctype html>
<html lang="${htmlLang}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css">${extraHead}</head>
<body><a class="skip" href="#main">${L.skip}</a>
<header><nav aria-label="${L.nav}"><ul>
<li><a href="/?lang=${lang}">${L.home}</a></li>
<li><a href="/outcomes?lang=${lang}">${L.outcomes}</a></li>
<li><a href="/report/school/S1?lang=${lang}">${L.report}</a></li>
<li><a href="/topic?lang=${lang}">${L.chart}</a></li>
<li><a href="?lang=${other}" lang="${other}">${L.lang}</a></li>
</ul></nav></header>
<main id="main">${body}</main></body></html>`;
}

function table(lang, caption, rows) {
    const L = T[lang];
    return `<table><caption>${esc(caption)}</caption>
<thead><tr><th scope="col">Region</th><th scope="col">${L.rate}</th><th scope="col">${L.n}</th></tr></thead>
<tbody>${rows.map((r) => `<tr><th scope="row">${esc(r[0])}</th><td>${esc(r[1])}</td><td>${esc(r[2])}</td></tr>`).join('')}</tbody></table>`;
}

function outcomes(lang, q) {
    const L = T[lang];
    const year = YEARS.includes(q.get('year')) ? q.get('year') : '2023';
    const group = GROUPS.includes(q.get('group')) ? q.get('group') : 'all';
    const rows = outcomeRows(year, group);
    const opt = (v, label, cur) => `<option value="${v}"${v === cur ? ' selected' : ''}>${esc(label)}</option>`;
    const explain = bad && lang === 'en' ? L.hard : L.explain;
    const chartVals = rows.slice(0, 2).map((r) => parseFloat(r[1]));
    const body = `<h1>${L.outcomes}</h1>
<form method="get" action="/outcomes"><input type="hidden" name="lang" value="${lang}">
<label for="year">${L.year}</label> <select id="year" name="year">${YEARS.map((y) => opt(y, y, year)).join('')}</select>
<label for="group">${L.group}</label> <select id="group" name="group">${GROUPS.map((g) => opt(g, L[g], group)).join('')}</select>
<button type="submit">${L.show}</button></form>
<section aria-labelledby="t1"><h2 id="t1">${L.chart}</h2>
<svg role="img" aria-labelledby="c1t c1d" width="320" height="120" viewBox="0 0 320 120"><title id="c1t">${L.chart}</title><desc id="c1d">${rows.slice(0, 2).map((r) => `${r[0]}: ${r[1]}`).join(', ')}</desc>
${chartVals.map((v, i) => `<rect x="${10 + i * 150}" y="${110 - v}" width="120" height="${v}" fill="#0072b2"></rect><text x="${20 + i * 150}" y="${105 - v}">${v.toFixed(1)}%</text>`).join('')}</svg>
${table(lang, `${L.outcomes}, ${year}`, rows)}
<p><a href="/outcomes.csv?year=${year}&amp;group=${group}&amp;lang=${lang}" download>${L.csv}</a>
<a href="/api/v1/outcomes?year=${year}&amp;group=${group}" type="application/json">${L.json}</a></p>
</section>
<div class="explain">${explain.map((p) => `<p>${esc(p)}</p>`).join('')}</div>
${bad ? '<img src="/static/dot.svg" width="8" height="8"><script>document.title += "!";</script><script src="/static/bad.js"></script>' : ''}`;
    return layout(lang, L.outcomes, body);
}

// A table shaped like p20w's: each data row names its cell (data-*), a
// section row heads the groups, the CSV has p20w's columns and the API
// answers /api/v1/cells?indicator=&year=&by=.
function topicCells(year) {
    const y = YEARS.indexOf(year);
    return [
        { by: '', key: '', status: 'P', value: 0.4521 + y / 100, n: 400 + y },
        { by: 'sex', key: 'F', status: 'P', value: 0.5 + y / 100, n: 210 },
        { by: 'sex', key: 'M', status: 'S', n: 190 + y },
    ];
}

function topic(lang, q) {
    const L = T[lang];
    const year = YEARS.includes(q.get('year')) ? q.get('year') : '2023';
    const cells = topicCells(year);
    const label = { '': L.all, F: L.f, M: L.m };
    const pct = (v) => (lang === 'es' ? `${(v * 100).toFixed(1).replace('.', ',')} %` : `${(v * 100).toFixed(1)}%`);
    const rows = cells.map((c, i) => {
        let shownValue = c.value === undefined ? (lang === 'es' ? 'oculto' : 'hidden') : pct(c.value);
        if (bad && i === 1) shownValue = pct(c.value + 0.01);
        return `${i === 1 ? `<tr><th scope="colgroup" colspan="3">${L.group}</th></tr>` : ''}<tr data-indicator="EMP" data-year="${year}" data-by="${c.by}" data-key="${c.key}" data-status="${c.status}"${c.value !== undefined ? ` data-value="${c.value}"` : ''} data-n="${c.n}"><th scope="row">${label[c.key]}</th><td>${shownValue}</td><td>${c.n}</td></tr>`;
    }).join('');
    const body = `<h1>${L.chart}</h1>
<form method="get" action="/topic"><input type="hidden" name="lang" value="${lang}">
<label for="year">${L.year}</label> <select id="year" name="year">${YEARS.map((y) => `<option value="${y}"${y === year ? ' selected' : ''}>${y}</option>`).join('')}</select>
<button type="submit">${L.show}</button></form>
<table><caption>${L.chart}, ${year}</caption><thead><tr><th scope="col">${L.group}</th><th scope="col">${L.rate}</th><th scope="col">${L.n}</th></tr></thead><tbody>${rows}</tbody></table>
<p><a href="/topic.csv?year=${year}&amp;lang=${lang}" download>${L.csv}</a> <a href="/api/v1/cells?indicator=EMP&amp;year=${year}&amp;lang=${lang}">${L.json}</a></p>
<div class="explain"><p>${esc(L.explain[0])}</p></div>`;
    return layout(lang, L.chart, body);
}

function report(lang) {
    const L = T[lang];
    const rows = [['Region A', '61.0%', '88'], ['Region B', '58.5%', '120']];
    const body = `<h1>${L.report}: S1</h1>
${table(lang, L.report, rows)}
<p><a href="/report/school/S1.csv?lang=${lang}">${L.csv}</a> <a href="/api/v1/report/school/S1">${L.json}</a></p>
<div class="explain"><p>${esc(L.explain[0])}</p></div>`;
    return layout(lang, L.report, body);
}

const CSS = `body{font-family:sans-serif;color:#1a1a1a;background:#fff;margin:1rem}
a{color:#0b4f8a}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem}
${bad ? 'a:focus{outline:none}' : 'a:focus,button:focus,select:focus{outline:3px solid #b35c00}'}
nav ul{list-style:none;padding:0;display:flex;gap:1rem}
table{border-collapse:collapse}td,th{border:1px solid #555;padding:.2rem .5rem}`;

function csvOf(rows) {
    return rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const q = u.searchParams;
    const lang = q.get('lang') === 'es' || (!q.get('lang') && /^es/.test(req.headers['accept-language'] || '')) ? 'es' : 'en';
    const L = T[lang];
    const send = (status, type, body, extra = {}) => {
        res.writeHead(status, {
            'Content-Type': type,
            'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
            ...extra,
        });
        res.end(req.method === 'HEAD' ? '' : body);
    };
    const html = (b) => send(200, 'text/html; charset=utf-8', b);
    const p = u.pathname;
    if (p === '/') {
        return html(layout(lang, L.home, `<h1>${L.home}</h1><ul><li><a href="/outcomes?lang=${lang}">${L.outcomes}</a></li>${bad ? '<li><a href="/gone">Gone</a></li>' : ''}</ul>`));
    }
    if (p === '/outcomes') return html(outcomes(lang, q));
    if (p === '/report/school/S1') return html(report(lang));
    if (p === '/topic') return html(topic(lang, q));
    if (p === '/topic.csv') {
        const year = YEARS.includes(q.get('year')) ? q.get('year') : '2023';
        const rows = topicCells(year).map((c) => ['EMP', year, c.by, c.key, c.status, c.value === undefined ? 'hidden' : '', c.value ?? '', String(c.n), '', '', '', '', '', '', '']);
        if (bad) rows[2][4] = 'P';
        return send(200, 'text/csv; charset=utf-8', csvOf([['indicator', 'year', 'by', 'values', 'status', 'shown', 'value', 'n', 'numerator', 'denominator', 'rate_lo', 'rate_hi', 'p25', 'median', 'p75'], ...rows.map((r) => r.map(String))]),
            { 'Content-Disposition': 'attachment; filename="topic.csv"' });
    }
    if (p === '/api/v1/cells') {
        const year = q.get('year');
        const by = q.get('by') || '';
        const cells = topicCells(year).filter((c) => c.by === by).map((c) => ({ year: Number(year), ...(by ? { [by]: c.key } : {}), status: c.status, ...(c.value !== undefined ? { value: c.value } : {}), n: bad && by ? c.n + 1 : c.n }));
        return send(200, 'application/json', JSON.stringify({ indicator: 'EMP', cells }));
    }
    if (p === '/sitemap.xml') {
        return send(200, 'application/xml', `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/outcomes</loc></url></urlset>`);
    }
    const header = ['Region', L.rate, L.n];
    if (p === '/outcomes.csv' || p === '/api/v1/outcomes') {
        const year = YEARS.includes(q.get('year')) ? q.get('year') : '2023';
        const group = GROUPS.includes(q.get('group')) ? q.get('group') : 'all';
        const rows = outcomeRows(year, group).map((r) => [r[0], r[1] === '*' ? '' : r[1].replace('%', ''), r[2] === '*' ? '' : r[2]]);
        if (p.endsWith('.csv')) {
            if (bad) rows[1][2] = String(Number(rows[1][2]) + 1);
            return send(200, 'text/csv; charset=utf-8', csvOf([header, ...rows]), { 'Content-Disposition': 'attachment; filename="outcomes.csv"' });
        }
        return send(200, 'application/json', JSON.stringify({ columns: header, rows: rows.map((r) => r.map((c, i) => (i && c !== '' ? Number(c) : c === '' ? null : c))) }));
    }
    if (p === '/report/school/S1.csv') {
        return send(200, 'text/csv; charset=utf-8', csvOf([[...header], ['Region A', '61.0', '88'], ['Region B', '58.5', '120']]), { 'Content-Disposition': 'attachment; filename="S1.csv"' });
    }
    if (p === '/api/v1/report/school/S1') {
        const rows = [{ Region: 'Region A', [L.rate]: 0.61, [L.n]: 88 }, { Region: 'Region B', [L.rate]: 0.585, [L.n]: 120 }];
        return send(200, 'application/json', JSON.stringify(bad ? rows.slice(0, 1) : rows));
    }
    if (p === '/static/site.css') return send(200, 'text/css', CSS);
    if (p === '/static/bad.js') return send(200, 'text/javascript', 'null.boom();');
    if (p === '/static/dot.svg') return send(200, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');
    return send(404, 'text/html; charset=utf-8', layout(lang, 'Not found', '<h1>Not found</h1>'));
});
server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
