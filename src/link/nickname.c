/*
 * nickname.c — nickname equivalence classes.
 *
 * Every formal name defines a group; a name belongs to its own group (if
 * formal) and to the group of each formal name it is a nickname of. Two
 * names are equivalent when their sorted group lists intersect. Lists are
 * built once at load into one flat array (CSR layout): names[i] owns
 * groups[start[i] .. start[i+1]).
 */
#include "link/nickname.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/normalize.h"
#include "util/csv.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/vec.h"

struct link_nicknames {
    hmap *ids; /* normalised name -> id + 1 */
    size_t nnames;
    uint32_t *start;  /* nnames + 1 offsets into groups */
    uint32_t *groups; /* group ids, sorted per name */
};

typedef struct membership {
    uint32_t name;
    uint32_t group;
} membership;

static int by_name_group(const void *x, const void *y)
{
    const membership *a = x, *b = y;
    if (a->name != b->name)
        return a->name < b->name ? -1 : 1;
    return a->group < b->group ? -1 : a->group > b->group;
}

/* Id of a normalised name, adding it when new. */
static p20w_status name_id(link_nicknames *nk, const char *name, uint32_t *id)
{
    void *v;
    if (hmap_get_str(nk->ids, name, &v)) {
        *id = (uint32_t)((uintptr_t)v - 1);
        return P20W_OK;
    }
    *id = (uint32_t)nk->nnames;
    p20w_status rc = hmap_put_str(nk->ids, name, (void *)(uintptr_t)(*id + 1));
    if (rc == P20W_OK)
        nk->nnames++;
    return rc;
}

static int field_is(const csv_field *f, const char *s)
{
    return f->len == strlen(s) && strncasecmp(f->ptr, s, f->len) == 0;
}

static p20w_status build_index(link_nicknames *nk, vec *mem)
{
    if (mem->len > 1)
        qsort(mem->data, mem->len, sizeof(membership), by_name_group);
    nk->start = p20w_calloc(nk->nnames + 1, sizeof(uint32_t));
    nk->groups = p20w_malloc((mem->len ? mem->len : 1) * sizeof(uint32_t));
    if (nk->start == NULL || nk->groups == NULL)
        return P20W_ENOMEM;
    const membership *m = mem->data;
    size_t n = 0;
    for (size_t i = 0; i < mem->len; i++) {
        if (n > 0 && m[i].name == m[i - 1].name && m[i].group == m[i - 1].group)
            continue; /* duplicate row */
        nk->groups[n++] = m[i].group;
        nk->start[m[i].name + 1]++;
    }
    for (size_t i = 0; i < nk->nnames; i++)
        nk->start[i + 1] += nk->start[i];
    return P20W_OK;
}

p20w_status link_nicknames_load(const char *path, link_nicknames **out,
                                p20w_err *err)
{
    *out = NULL;
    csv_reader *r = NULL;
    vec mem;
    vec_init(&mem, sizeof(membership));
    link_nicknames *nk = p20w_calloc(1, sizeof *nk);
    p20w_status rc = P20W_ENOMEM;
    if (nk == NULL || hmap_create(&nk->ids) != P20W_OK)
        goto fail;
    rc = csv_reader_open_file(path, NULL, &r, err);
    if (rc != P20W_OK)
        goto fail;
    const csv_field *f;
    size_t nf;
    rc = csv_read(r, &f, &nf, err);
    if (rc != P20W_OK)
        goto fail;
    if (nf != 2 || !field_is(&f[0], "formal_name") ||
        !field_is(&f[1], "nickname")) {
        rc = p20w_err_set(err, P20W_EFORMAT,
                          "expected header formal_name,nickname");
        p20w_err_at(err, path, 1, 0);
        goto fail;
    }
    for (;;) {
        rc = csv_read(r, &f, &nf, err);
        if (rc != P20W_OK)
            goto fail;
        if (nf == 0)
            break;
        if (nf != 2) {
            rc = p20w_err_set(err, P20W_EFORMAT, "expected 2 fields, got %zu",
                              nf);
            p20w_err_at(err, path, csv_reader_line(r), 0);
            goto fail;
        }
        char formal[LINK_NAME_MAX], nick[LINK_NAME_MAX];
        if (link_name_norm(f[0].ptr, f[0].len, formal) != P20W_OK ||
            link_name_norm(f[1].ptr, f[1].len, nick) != P20W_OK) {
            rc = p20w_err_set(err, P20W_EFORMAT, "invalid UTF-8 in a name");
            p20w_err_at(err, path, csv_reader_line(r), 0);
            goto fail;
        }
        if (formal[0] == '\0' || nick[0] == '\0')
            continue;
        uint32_t fid = 0, nid = 0;
        rc = name_id(nk, formal, &fid);
        if (rc == P20W_OK)
            rc = name_id(nk, nick, &nid);
        membership a = {fid, fid}, b = {nid, fid};
        if (rc == P20W_OK)
            rc = vec_push(&mem, &a);
        if (rc == P20W_OK)
            rc = vec_push(&mem, &b);
        if (rc != P20W_OK)
            goto fail;
    }
    rc = build_index(nk, &mem);
    if (rc != P20W_OK)
        goto fail;
    csv_reader_close(r);
    vec_free(&mem);
    *out = nk;
    return P20W_OK;
fail:
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "out of memory loading nicknames");
    csv_reader_close(r);
    vec_free(&mem);
    link_nicknames_free(nk);
    return rc;
}

int link_nicknames_equiv(const link_nicknames *nk, const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return a[0] != '\0';
    void *va, *vb;
    if (!hmap_get_str(nk->ids, a, &va) || !hmap_get_str(nk->ids, b, &vb))
        return 0;
    size_t ia = (uintptr_t)va - 1, ib = (uintptr_t)vb - 1;
    uint32_t i = nk->start[ia], ie = nk->start[ia + 1];
    uint32_t j = nk->start[ib], je = nk->start[ib + 1];
    while (i < ie && j < je) {
        if (nk->groups[i] == nk->groups[j])
            return 1;
        if (nk->groups[i] < nk->groups[j])
            i++;
        else
            j++;
    }
    return 0;
}

size_t link_nicknames_count(const link_nicknames *nk)
{
    return nk->nnames;
}

void link_nicknames_free(link_nicknames *nk)
{
    if (nk == NULL)
        return;
    hmap_free(nk->ids);
    p20w_free(nk->start);
    p20w_free(nk->groups);
    p20w_free(nk);
}
