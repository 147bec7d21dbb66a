/*
 * normalize.h — names, SSNs and other identifiers in the comparable form
 * the linkage step uses.
 *
 * Name normalisation: Unicode compatibility decomposition, accents stripped,
 * case folded, then upper-case ASCII where a letter has an ASCII form (ø, ł,
 * đ, æ, œ, þ, ß mapped by hand); apostrophes dropped (O'Brien → OBRIEN);
 * hyphens, periods, commas and runs of spaces become one space, so a
 * hyphenated or compound surname comes out as its parts ("Smith-Jones" →
 * "SMITH JONES"); generational suffixes (JR, SR, II, III, IV) are removed
 * from the end when another word remains; digits and other symbols are
 * dropped. Letters with no ASCII form are kept as upper-cased UTF-8.
 *
 * These functions only read their input and write the caller's buffer; they
 * allocate nothing and are thread-safe.
 */
#ifndef P20W_LINK_NORMALIZE_H
#define P20W_LINK_NORMALIZE_H

#include <stddef.h>

#include "util/error.h"

/* Longest normalised name kept, in bytes including the NUL. Longer input is
 * cut at a word boundary: names over this length carry no more linkage
 * information. */
#define LINK_NAME_MAX 128

/* Normalises len bytes of UTF-8 at in into out (LINK_NAME_MAX bytes).
 * An empty result ("" for input with no letters) is not an error.
 * Errors: P20W_EFORMAT when in is not valid UTF-8. */
p20w_status link_name_norm(const char *in, size_t len, char out[LINK_NAME_MAX]);

/* The normalised name without its spaces ("DE LA CRUZ" → "DELACRUZ"), so
 * compound names compare whole. out may equal norm. */
void link_name_squash(const char *norm, char out[LINK_NAME_MAX]);

/* Splits a normalised name into its space-separated parts: fills up to max
 * (pointer, length) pairs pointing into norm and returns how many parts
 * there are (which may exceed max). */
size_t link_name_parts(const char *norm, const char **part, size_t *part_len,
                       size_t max);

/* Reduces an SSN written with or without dashes/spaces to 9 digits in
 * out (10 bytes). Returns 1 when exactly 9 digits were found, else 0 (out is
 * then ""). */
int link_ssn_digits(const char *in, size_t len, char out[10]);

/* 1 when a 9-digit SSN is structurally valid: area not 000, 666 or 9xx,
 * group not 00, serial not 0000. */
int link_ssn_valid(const char *digits);

#endif
