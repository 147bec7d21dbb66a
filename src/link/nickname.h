/*
 * nickname.h — given-name equivalence from a formal-name → nickname table
 * (data/nicknames.csv): ROBERT ~ BOB, and nicknames of one formal name are
 * equivalent to each other (BILL ~ WILL through WILLIAM).
 */
#ifndef P20W_LINK_NICKNAME_H
#define P20W_LINK_NICKNAME_H

#include "util/error.h"

typedef struct link_nicknames link_nicknames;

/* Loads a CSV with header `formal_name,nickname`. Names are normalised with
 * link_name_norm(). Errors: P20W_EIO (cannot open), P20W_EFORMAT (bad CSV
 * or header; err has file and line), P20W_ENOMEM. */
p20w_status link_nicknames_load(const char *path, link_nicknames **out,
                                p20w_err *err);

/* 1 when two normalised given names are equal or nickname-equivalent. */
int link_nicknames_equiv(const link_nicknames *nk, const char *a,
                         const char *b);

/* Number of distinct names known. */
size_t link_nicknames_count(const link_nicknames *nk);

void link_nicknames_free(link_nicknames *nk);

#endif
