// Unit tests of the Flesch–Kincaid counter (fk.mjs): the formula, the
// syllable counter on words with dictionary syllable counts, the sentence
// splitter, and whole sentences counted by hand.
//   node tests/browser/fk_test.mjs
import { syllables, words, sentenceCount, stats, grade, gradeOfParts } from './fk.mjs';
import { Tally } from './harness.mjs';

const t = new Tally('fk');
const near = (a, b, eps = 0.005) => Math.abs(a - b) < eps;

// --- the formula ---------------------------------------------------------
t.check('fk formula: 6 words, 1 sentence, 6 syllables = -1.45',
    near(grade(6, 1, 6), -1.45), `got ${grade(6, 1, 6)}`);
// 13 words, 24 syllables (the Australian platypus sentence as usually
// counted): 0.39*13 + 11.8*24/13 - 15.59 = 11.2646
t.check('fk formula: 13 words, 1 sentence, 24 syllables = 11.26',
    near(grade(13, 1, 24), 11.2646, 1e-4), `got ${grade(13, 1, 24)}`);
t.check('fk formula: 100 words, 5 sentences, 150 syllables = 9.91',
    near(grade(100, 5, 150), 0.39 * 20 + 11.8 * 1.5 - 15.59), `got ${grade(100, 5, 150)}`);
t.check('fk formula: no words is NaN', Number.isNaN(grade(0, 0, 0)));

// --- syllables: dictionary counts ------------------------------------------
// Each word's count is the number of hyphen points + 1 in a standard
// American dictionary. The counter is an estimate: it must get at least
// 97% of this list exactly and every word within one.
const DICT = {
    // one syllable
    the: 1, cat: 1, school: 1, year: 1, work: 1, state: 1, states: 1,
    made: 1, makes: 1, jumped: 1, earned: 1, based: 1, played: 1,
    whole: 1, true: 1, goes: 1, does: 1, young: 1, time: 1, place: 1,
    job: 1, jobs: 1, gap: 1, gaps: 1, share: 1, shares: 1, rate: 1,
    rates: 1, group: 1, groups: 1, each: 1, these: 1, where: 1, source: 1,
    // two
    table: 2, tables: 2, places: 2, boxes: 2, changes: 2, wanted: 2,
    needed: 2, students: 2, college: 2, wages: 2, private: 2, outcomes: 2,
    dashboard: 2, report: 2, system: 2, data: 2, earnings: 2, employed: 2,
    studies: 2, studied: 2, likely: 2, statement: 2, equal: 2, language: 2,
    value: 2, issue: 2, number: 2, county: 2, region: 2, nation: 2,
    special: 2, patient: 2, Asian: 2, workforce: 2, suppressed: 2,
    hidden: 2, shown: 1, because: 2, program: 2, programs: 2, income: 2,
    female: 2, male: 1, percent: 2, people: 2, after: 2, into: 2,
    about: 2, other: 2, only: 2, many: 2, even: 2, between: 2, during: 2,
    status: 2, filter: 2, filters: 2, chosen: 2, measure: 2, quarter: 2,
    quarters: 2, method: 2, credit: 2, credits: 2, certain: 2,
    // three
    employment: 3, percentage: 3, median: 3, graduate: 3, usual: 3,
    video: 3, studying: 3, earlier: 3, easier: 3, completion: 3,
    enrollment: 3, suppression: 3, various: 3, serious: 3, previous: 3,
    Hispanic: 3, Latino: 3, Indian: 3, average: 3, family: 3, several: 3,
    ratio: 3, period: 3, industry: 3, different: 3, compare: 2,
    compared: 2, efficient: 3, follow: 2, following: 3, quarterly: 3,
    another: 3, however: 3, example: 3, together: 3, remember: 3,
    // four and more
    education: 4, indicator: 4, variation: 4, information: 4,
    institution: 4, institutions: 4, individual: 5, postsecondary: 5,
    disability: 5, ethnicity: 4, academic: 4, longitudinal: 5,
    Australian: 4, reptilian: 4, geography: 4, economy: 4,
    opportunity: 5, intersectional: 5, methodology: 5, dictionary: 4,
    secondary: 4, population: 4, populations: 4, category: 4,
    categories: 4, apprenticeship: 4, certificate: 4, American: 4,
};

let exact = 0;
let total = 0;
const misses = [];
let worst = 0;
for (const [w, n] of Object.entries(DICT)) {
    const got = syllables(w);
    total++;
    if (got === n) exact++;
    else misses.push(`${w} ${got}/${n}`);
    worst = Math.max(worst, Math.abs(got - n));
}
t.check(`syllables: at least 97% of ${total} dictionary words exact`,
    exact / total >= 0.97, `${exact}/${total}; misses: ${misses.join(', ')}`,
    `${exact}/${total}${misses.length ? `; misses: ${misses.join(', ')}` : ''}`);
t.check('syllables: every dictionary word within one', worst <= 1, `worst miss ${worst}: ${misses.join(', ')}`);

// The rules' own examples, exactly.
for (const [w, n] of [['make', 1], ['table', 2], ['places', 2], ['boxes', 2],
    ['wanted', 2], ['jumped', 1], ['likely', 2], ['statement', 2], ['equal', 2],
    ['language', 2], ['year', 1], ['studying', 3], ['earlier', 3],
    ["don't", 1], ['high-school', 2], ['colour-blind', 3], ['a', 1], ['', 0]]) {
    t.check(`syllables: ${JSON.stringify(w)} = ${n}`, syllables(w) === n, `got ${syllables(w)}`);
}

// --- words and sentences ---------------------------------------------------
t.check('words: apostrophes and hyphens inside a word; numbers are not words',
    JSON.stringify(words("In 2023, 45% of high-school graduates didn't enrol.")) ===
        JSON.stringify(['In', 'of', 'high-school', 'graduates', "didn't", 'enrol']),
    JSON.stringify(words("In 2023, 45% of high-school graduates didn't enrol.")));
for (const [text, n] of [
    ['One. Two! Three?', 3],
    ['No terminator at all', 1],
    ['Ends with a full stop. And a tail', 2],
    ['Wait... what?! Really.', 3],
    ['Some groups (e.g. veterans) are small. Others, i.e. most, are not.', 2],
    ['Rates in the U.S. rose. They fell in 2020.', 2],
    ['The median is $41,250.50 a year. That is the middle.', 2],
    ['J. Smith wrote it. Then it was done.', 2],
    ['', 0],
    ['  ...  ', 0],
]) {
    t.check(`sentences: ${JSON.stringify(text)} = ${n}`, sentenceCount(text) === n, `got ${sentenceCount(text)}`);
}

// --- whole sentences, counted by hand ----------------------------------------
// Words, sentences and dictionary syllables counted by hand; the counter
// must agree exactly, and the grade follow.
for (const [text, w, s, y] of [
    ['The cat sat on the mat.', 6, 1, 6],
    // Most1 stu-dents2 who1 fin-ish2 high1 school1 go1 on1 to1 col-lege2
    // or1 to1 work1 with-in2 a1 year1
    ['Most students who finish high school go on to college or to work within a year.', 16, 1, 20],
    // Post-sec-ond-ar-y5 in-sti-tu-tions4 re-port2 en-roll-ment3 and1
    // com-ple-tion3 in-for-ma-tion4 to1 the1 state-wide2 lon-gi-tu-di-nal5
    // da-ta2 sys-tem2 ev-ery2 ac-a-dem-ic4 term1
    ['Postsecondary institutions report enrollment and completion information to the statewide longitudinal data system every academic term.', 16, 1, 42],
    // This1 page1 shows1 how1 man-y2 peo-ple2 found1 a1 job1. Some1 num-bers2
    // are1 hid-den2 to1 pro-tect2 pri-va-cy3.
    ['This page shows how many people found a job. Some numbers are hidden to protect privacy.', 16, 2, 23],
]) {
    const st = stats(text);
    const want = grade(w, s, y);
    t.check(`stats: ${JSON.stringify(text.slice(0, 40))}…: ${w} words, ${s} sentences, ${y} syllables, grade ${want.toFixed(2)}`,
        st.words === w && st.sentences === s && st.syllables === y && near(st.grade, want),
        `got ${st.words} words, ${st.sentences} sentences, ${st.syllables} syllables, grade ${st.grade.toFixed(2)}`);
}

// --- parts ----------------------------------------------------------------------
{
    const g = gradeOfParts(['A list item without a stop', 'Another item', 'A sentence. Two sentences.']);
    t.check('gradeOfParts: each part ends a sentence', g.sentences === 4 && g.words === 12,
        `got ${g.sentences} sentences, ${g.words} words`);
    t.check('gradeOfParts: no text is NaN', Number.isNaN(gradeOfParts([]).grade));
}

process.exit(t.finish());
