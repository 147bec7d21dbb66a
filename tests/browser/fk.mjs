// Flesch–Kincaid grade level of English text.
//
//   grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
//
// (Kincaid, Fishburne, Rogers and Chissom, 1975). The grade is the US school
// grade a reader needs; public pages aim at 8 or below.
//
// Counting rules, chosen to be simple and stated:
//   words      maximal runs of letters, with inner apostrophes and hyphens
//              ("don't", "high-school" are one word). Tokens with no letter
//              (numbers such as 2023 or 45%) are not words: they carry no
//              syllable estimate worth having, and every readability tool
//              treats them differently.
//   sentences  text runs ended by ".", "!" or "?" (one or more), followed by
//              white space or the end; common abbreviations (e.g., i.e.,
//              etc., vs., U.S.) and single-letter initials do not end a
//              sentence. Text with words but no terminator is one sentence.
//              A list item or heading the caller passes separately is its
//              own sentence (see gradeOfParts).
//   syllables  see syllables() below: a vowel-group count with corrections
//              for silent endings and split vowel pairs, plus a short table
//              of exceptions. It is an estimate (as are all automatic
//              counters); tests/browser/fk_test.mjs pins it on a word list
//              with dictionary syllable counts and on sentences whose
//              grades are published.

const EXCEPTIONS = new Map(Object.entries({
    // words the rules below get wrong, common on public-data pages
    area: 3, idea: 3, create: 2, created: 3, creates: 2, creating: 3,
    people: 2, business: 2, businesses: 3, every: 2, everyone: 3,
    everything: 3, different: 3, difference: 3, differences: 4,
    interest: 2, interested: 3, family: 3, families: 3, average: 3,
    several: 3, general: 3, generally: 4, science: 2, sciences: 3,
    experience: 4, experiences: 5, client: 2, clients: 2, quiet: 2,
    being: 2, seeing: 2, going: 2, doing: 2, real: 1, really: 2,
    someone: 2, something: 2, sometimes: 2, somewhere: 2, therefore: 2,
    one: 1, once: 1, are: 1, were: 1, where: 1, there: 1, here: 1,
    before: 2, use: 1, uses: 2, used: 1, fire: 2, hire: 2, hired: 2,
    entire: 3, require: 3, required: 3, requires: 3, million: 2,
    millions: 2, union: 2, opinion: 3, towards: 1, toward: 1,
    statewide: 2, nationwide: 3, lifetime: 2, homework: 2, safety: 2,
}));

// Glides: "i" before a vowel that is not a syllable of its own in
// -tion, -sion, -cial, -tial, -cian, -tian, -sian, -cious, -tious, -xious,
// -gion, -gious, -cient, -tient.
const GLIDE = /[tcsgx]i(?=on|al|an|ous|ent)/g;

/**
 * Estimated syllables of one English word (letters, apostrophes, hyphens).
 * Rules, in order:
 *   1. lower-case; hyphenated words are the sum of their parts; apostrophes
 *      are dropped ("don't" = "dont");
 *   2. the exception table above;
 *   3. words of three letters or fewer: 1;
 *   4. silent letters are dropped: a final "e" after a consonant ("make"),
 *      but not consonant + "le" ("ta-ble"); "-es" and "-ed" after a
 *      consonant ("makes", "jumped"), except where they are spoken: "-es"
 *      after c, g, s, x, z, ch, sh ("pla-ces", "box-es") and "-ed" after t
 *      or d ("want-ed"); an "e" between a consonant and -ly, -ment, -ful,
 *      -less or -ness ("like-ly", "state-ment");
 *   5. "qu" and "ngu" before a vowel: the "u" is a consonant ("e-qual",
 *      "lan-guage"); "y" starting a word is a consonant ("year");
 *   6. count groups of adjacent vowels (a e i o u y);
 *   7. add one for each vowel pair spoken as two syllables: "ia", "io",
 *      "iu", "eo", "ua", "uo", "ii", "yi" ("stud-y-ing"), except the glides
 *      of -tion, -cial, -cian, -cious, -cient and the like; and one for
 *      "-ier"/"-iest" ("ear-li-er");
 *   8. at least 1.
 */
export function syllables(word) {
    let w = String(word).toLowerCase().replace(/[’']/g, '');
    if (w.includes('-')) {
        return w.split('-').filter((p) => /[a-z]/.test(p))
            .reduce((s, p) => s + syllables(p), 0) || 1;
    }
    w = w.replace(/[^a-z]/g, '');
    if (w === '') return 0;
    if (EXCEPTIONS.has(w)) return EXCEPTIONS.get(w);
    if (w.length <= 3) return 1;

    let s = w;
    // 4. silent letters
    if (/[^aeiouy]les?$/.test(s)) {
        // "table", "tables": the "le" is spoken
    } else if (/(?:[cgsxz]|ch|sh)es$/.test(s) || /[td]ed$/.test(s)) {
        // "places", "boxes", "wanted": spoken
    } else if (/[^aeiouy]e[sd]$/.test(s) && /[aeiouy]/.test(s.slice(0, -2))) {
        s = s.slice(0, -2);
    } else if (/[^aeiouy]e$/.test(s) && /[aeiouy]/.test(s.slice(0, -1))) {
        s = s.slice(0, -1);
    }
    s = s.replace(/([^aeiouy])e(ly|ments?|ful|less|ness)$/, '$1$2');
    // 5. consonant u and y
    s = s.replace(/(q|ng)u(?=[aeiouy])/g, '$1').replace(/^y/, '');
    // 6. vowel groups
    let n = (s.match(/[aeiouy]+/g) || []).length;
    // 7. split pairs
    const unglided = s.replace(GLIDE, (m) => m[0]);
    n += (unglided.match(/i[aou]|eo|u[ao]|ii|yi/g) || []).length;
    if (/[^aeiouy]i(?:er|est)$/.test(s)) n += 1;
    // 8.
    return Math.max(1, n);
}

const ABBREVIATIONS = new Set([
    'e.g', 'i.e', 'etc', 'vs', 'u.s', 'mr', 'mrs', 'ms', 'dr', 'no', 'st',
    'approx', 'dept', 'inc', 'jr', 'sr', 'fig',
]);

/** Words of a text (see the counting rules at the top). */
export function words(text) {
    return String(text).match(/[A-Za-zÀ-ÿ]+(?:['’-][A-Za-zÀ-ÿ]+)*/g) || [];
}

/** Sentences of a text (see the counting rules at the top). */
export function sentenceCount(text) {
    const t = String(text).replace(/\s+/g, ' ').trim();
    if (words(t).length === 0) return 0;
    let n = 0;
    const re = /([A-Za-z.]*)([.!?]+)(?=\s|$)/g;
    let m;
    let last = 0;
    while ((m = re.exec(t)) !== null) {
        const before = m[1].toLowerCase().replace(/\.$/, '');
        if (m[2] === '.' && (ABBREVIATIONS.has(before) || /^[a-z]$/.test(before))) {
            continue;
        }
        if (words(t.slice(last, m.index + m[0].length)).length > 0) n++;
        last = m.index + m[0].length;
    }
    if (words(t.slice(last)).length > 0) n++; // an unterminated tail
    return n;
}

/** Counts and grade of one text. */
export function stats(text) {
    const ws = words(text);
    const syl = ws.reduce((s, w) => s + syllables(w), 0);
    const sent = sentenceCount(text);
    return { words: ws.length, sentences: sent, syllables: syl, grade: grade(ws.length, sent, syl) };
}

/** The formula itself. NaN when there are no words. */
export function grade(nWords, nSentences, nSyllables) {
    if (nWords === 0 || nSentences === 0) return NaN;
    return 0.39 * (nWords / nSentences) + 11.8 * (nSyllables / nWords) - 15.59;
}

/**
 * Grade of several blocks of one page (paragraphs, list items): each block
 * is counted on its own, so a list item without a full stop is a sentence of
 * its own rather than run into the next, and the counts are summed.
 */
export function gradeOfParts(parts) {
    let w = 0;
    let s = 0;
    let y = 0;
    for (const p of parts) {
        const st = stats(p);
        w += st.words;
        s += st.sentences;
        y += st.syllables;
    }
    return { words: w, sentences: s, syllables: y, grade: grade(w, s, y) };
}
