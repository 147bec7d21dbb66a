/*
 * phonetic.h — NYSIIS phonetic key, for blocking on surnames that sound
 * alike (JOHNSON, JONSON → JANSAN; KNIGHT, NIGHT → NAGT).
 */
#ifndef P20W_LINK_PHONETIC_H
#define P20W_LINK_PHONETIC_H

#include <stddef.h>

#define LINK_NYSIIS_MAX 64

/* Writes the NYSIIS key (original algorithm, not truncated) of a
 * normalised name into out (LINK_NYSIIS_MAX bytes). Only the letters A–Z
 * of the input are used; spaces join the parts ("DE LA CRUZ" is keyed as
 * DELACRUZ). A name with no A–Z letters gives "". */
void link_nysiis(const char *name, char out[LINK_NYSIIS_MAX]);

#endif
