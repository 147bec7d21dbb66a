/*
 * hmap.c — open addressing, linear probing, tombstones on delete.
 *
 * Invariants: cap is a power of two; (used + tombstones) <= 70 % of cap, so
 * a probe always ends at an empty slot. Each slot caches the full hash so
 * probes compare 64-bit numbers before bytes. Keys are separately
 * allocated copies, freed on delete and by hmap_free.
 */
#include "util/hmap.h"

#include <string.h>

#include "util/mem.h"

enum { SLOT_EMPTY = 0, SLOT_FULL = 1, SLOT_TOMB = 2 };

typedef struct slot {
    uint64_t hash;
    char *key;
    size_t klen;
    void *value;
    int state;
} slot;

struct hmap {
    slot *slots;
    size_t cap;
    size_t used;
    size_t tombs;
};

uint64_t hmap_hash(const void *key, size_t n)
{
    /* FNV-1a, then a murmur3 finaliser so low bits mix well for masking. */
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

p20w_status hmap_create(hmap **out)
{
    *out = NULL;
    hmap *m = p20w_calloc(1, sizeof *m);
    if (m == NULL)
        return P20W_ENOMEM;
    m->cap = 16;
    m->slots = p20w_calloc(m->cap, sizeof(slot));
    if (m->slots == NULL) {
        p20w_free(m);
        return P20W_ENOMEM;
    }
    *out = m;
    return P20W_OK;
}

static slot *find(const hmap *m, uint64_t h, const void *key, size_t klen)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (s->state == SLOT_EMPTY)
            return NULL;
        if (s->state == SLOT_FULL && s->hash == h && s->klen == klen &&
            memcmp(s->key, key, klen) == 0)
            return s;
    }
}

static p20w_status grow(hmap *m)
{
    size_t ncap = m->cap;
    /* Only double when live entries need it; otherwise rehashing just
     * clears tombstones. */
    if ((m->used + 1) * 10 >= ncap * 5)
        ncap *= 2;
    slot *ns = p20w_calloc(ncap, sizeof(slot));
    if (ns == NULL)
        return P20W_ENOMEM;
    size_t mask = ncap - 1;
    for (size_t i = 0; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->state != SLOT_FULL)
            continue;
        size_t j = s->hash & mask;
        while (ns[j].state == SLOT_FULL)
            j = (j + 1) & mask;
        ns[j] = *s;
    }
    p20w_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->tombs = 0;
    return P20W_OK;
}

p20w_status hmap_put(hmap *m, const void *key, size_t klen, void *value)
{
    uint64_t h = hmap_hash(key, klen);
    slot *s = find(m, h, key, klen);
    if (s != NULL) {
        s->value = value;
        return P20W_OK;
    }
    if ((m->used + m->tombs + 1) * 10 > m->cap * 7) {
        p20w_status rc = grow(m);
        if (rc != P20W_OK)
            return rc;
    }
    char *k = p20w_malloc(klen + 1);
    if (k == NULL)
        return P20W_ENOMEM;
    memcpy(k, key, klen);
    k[klen] = '\0';
    size_t mask = m->cap - 1;
    size_t i = h & mask;
    while (m->slots[i].state == SLOT_FULL)
        i = (i + 1) & mask;
    s = &m->slots[i];
    if (s->state == SLOT_TOMB)
        m->tombs--;
    s->hash = h;
    s->key = k;
    s->klen = klen;
    s->value = value;
    s->state = SLOT_FULL;
    m->used++;
    return P20W_OK;
}

int hmap_get(const hmap *m, const void *key, size_t klen, void **value)
{
    slot *s = find(m, hmap_hash(key, klen), key, klen);
    if (s == NULL)
        return 0;
    if (value != NULL)
        *value = s->value;
    return 1;
}

p20w_status hmap_put_str(hmap *m, const char *key, void *value)
{
    return hmap_put(m, key, strlen(key), value);
}

int hmap_get_str(const hmap *m, const char *key, void **value)
{
    return hmap_get(m, key, strlen(key), value);
}

int hmap_del(hmap *m, const void *key, size_t klen)
{
    slot *s = find(m, hmap_hash(key, klen), key, klen);
    if (s == NULL)
        return 0;
    p20w_free(s->key);
    s->key = NULL;
    s->state = SLOT_TOMB;
    m->used--;
    m->tombs++;
    return 1;
}

size_t hmap_count(const hmap *m)
{
    return m->used;
}

int hmap_next(const hmap *m, size_t *iter, const void **key, size_t *klen,
              void **value)
{
    for (size_t i = *iter; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->state != SLOT_FULL)
            continue;
        if (key != NULL)
            *key = s->key;
        if (klen != NULL)
            *klen = s->klen;
        if (value != NULL)
            *value = s->value;
        *iter = i + 1;
        return 1;
    }
    *iter = m->cap;
    return 0;
}

void hmap_free(hmap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].state == SLOT_FULL)
            p20w_free(m->slots[i].key);
    p20w_free(m->slots);
    p20w_free(m);
}
