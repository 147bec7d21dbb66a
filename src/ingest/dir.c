/*
 * dir.c — ingest every extract of a folder, referenced extracts first.
 *
 * The order is derived from the dictionary's REF rules (a topological
 * order: an extract comes after every extract it references), so adding an
 * extract or a reference to the dictionary needs no change here.
 */
#include "ingest/ingestInt.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

/* Position of each extract in load order; 0 = not placed yet. */
static void load_order(size_t n, size_t *order)
{
    int placed[64] = {0};
    size_t k = 0;
    while (k < n) {
        size_t before = k;
        for (size_t i = 0; i < n; i++) {
            if (placed[i])
                continue;
            const dict_extract *x = dict_extract_at(i);
            int ready = 1;
            for (size_t r = 0; r < x->nrules && ready; r++) {
                const dict_rule *rule = &x->rules[r];
                if (rule->kind != DICT_RULE_REF || rule->ref_extract == NULL ||
                    strcmp(rule->ref_extract, x->name) == 0)
                    continue;
                for (size_t j = 0; j < n; j++)
                    if (!placed[j] && strcmp(dict_extract_at(j)->name,
                                             rule->ref_extract) == 0)
                        ready = 0;
            }
            if (ready) {
                placed[i] = 1;
                order[k++] = i;
            }
        }
        if (k == before) { /* a cycle: keep dictionary order */
            for (size_t i = 0; i < n; i++)
                if (!placed[i]) {
                    placed[i] = 1;
                    order[k++] = i;
                }
        }
    }
}

p20w_status ingest_dir(store *st, const codeset_registry *reg, const char *dir,
                       const ingest_options *opts,
                       void (*cb)(const ingest_report *r, void *ctx), void *ctx,
                       p20w_err *err)
{
    size_t n = dict_extract_count();
    if (n > 64)
        return p20w_err_set(err, P20W_EINTERNAL, "too many extracts");
    DIR *d = opendir(dir);
    if (d == NULL)
        return p20w_err_set(err, P20W_EIO, "cannot open folder %s", dir);
    int present[64] = {0};
    char names[64][256];
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        const dict_extract *x = dict_find_file(e->d_name);
        if (x == NULL) {
            size_t l = strlen(e->d_name);
            if (l > 4 && strcasecmp(e->d_name + l - 4, ".csv") == 0)
                log_warn("%s/%s is not an extract file name; skipped", dir,
                         e->d_name);
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (dict_extract_at(i) == x) {
                present[i] = 1;
                snprintf(names[i], sizeof names[i], "%s", e->d_name);
            }
    }
    closedir(d);
    size_t order[64];
    load_order(n, order);
    int any = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        if (!present[i])
            continue;
        any = 1;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        ingest_options o = *opts;
        o.source = dict_extract_at(i)->name;
        ingest_report *r = NULL;
        p20w_status rc = ingest_file(st, reg, path, &o, &r, err);
        if (rc != P20W_OK)
            return rc;
        if (cb != NULL)
            cb(r, ctx);
        ingest_report_free(r);
    }
    if (!any)
        return p20w_err_set(err, P20W_ENOTFOUND,
                            "no extract file (k12_students.csv, ...) in %s",
                            dir);
    return P20W_OK;
}
