/*
 * refs.c — reference key sets for the REF rules of the dictionary (school
 * in k12_schools, employer in ui_employers, student in k12_students...).
 *
 * A reference is checked against the live (accepted) submissions already
 * loaded, so reference extracts are loaded first (ingest_dir orders them).
 * The set lives in memory for the length of one submission: even the
 * largest (every student id of the state) is a few tens of megabytes.
 */
#include "ingest/ingestInt.h"

#include <stdio.h>

#include "util/sbuf.h"

p20w_status ingest_refs_load(store *st, const char *extract,
                             const char *const *cols, hmap **out, p20w_err *err)
{
    *out = NULL;
    sbuf sql;
    sbuf_init(&sql, 0);
    int ncols = 0;
    p20w_status rc = sbuf_puts(&sql, "SELECT ");
    for (; rc == P20W_OK && ncols < DICT_RULE_MAX_COLS && cols[ncols]; ncols++)
        rc = sbuf_printf(&sql, "%st.%s", ncols ? ", " : "", cols[ncols]);
    if (rc == P20W_OK)
        rc = sbuf_printf(&sql,
                         " FROM stg_%s t JOIN submissions s ON "
                         "s.submission_id = t.submission_id WHERE s.status = "
                         "'accepted'",
                         extract);
    if (rc != P20W_OK) {
        sbuf_free(&sql);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_stmt *q = NULL;
    hmap *set = NULL;
    sbuf key;
    sbuf_init(&key, 0);
    rc = store_prepare(st, sbuf_cstr(&sql), &q, err);
    if (rc == P20W_OK && hmap_create(&set) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        sbuf_reset(&key);
        for (int i = 0; rc == P20W_OK && i < ncols; i++) {
            if (i > 0)
                rc = sbuf_putc(&key, '\x1f');
            if (rc == P20W_OK)
                rc = sbuf_append(&key, store_column_text(q, i),
                                 store_column_bytes(q, i));
        }
        if (rc == P20W_OK)
            rc = hmap_put(set, key.buf ? key.buf : "", key.len, NULL);
        if (rc == P20W_ENOMEM)
            p20w_err_set(err, rc, "out of memory");
    }
    store_finalize(q);
    sbuf_free(&sql);
    sbuf_free(&key);
    if (rc != P20W_OK) {
        hmap_free(set);
        return rc;
    }
    *out = set;
    return P20W_OK;
}
