/*
 * assessInt.h — what the files of assess/ share and nobody else needs.
 */
#ifndef P20W_ASSESS_INT_H
#define P20W_ASSESS_INT_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>

#include "assess/assess.h"

/* The catalog of the web pages (serve/i18n.h uses the same domain): the
 * English text is the msgid. N_ marks a msgid stored for later. */
#define ASSESS_TEXT_DOMAIN "p20w"
#define _(s) dgettext(ASSESS_TEXT_DOMAIN, s)
#define N_(s) s

/* Checks user text: valid UTF-8, at most max bytes, no control
 * characters except (when multiline) tab, CR and LF. Returns NULL when
 * fine, else a static reason ("is not UTF-8"). */
const char *assess_text_problem(const char *s, size_t max, int multiline);

/* 1 when s is "" or a real YYYY-MM-DD day. */
int assess_date_ok(const char *s);

/* Seconds since 1970 UTC as "YYYY-MM-DDTHH:MM:SSZ". */
void assess_time_iso(int64_t t, char out[32]);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (or a prefix "YYYY-MM-DD") into seconds
 * since 1970 UTC; -1 when malformed. */
int64_t assess_time_parse(const char *s);

#endif
