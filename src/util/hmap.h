/*
 * hmap.h — hash map from byte-string keys to pointer-sized values.
 *
 * Open addressing with linear probing; the table doubles at 70 % load.
 * Keys are copied into memory the map owns; values are stored as given
 * (the map never frees them). Not thread-safe.
 */
#ifndef P20W_HMAP_H
#define P20W_HMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef struct hmap hmap;

/* 64-bit hash of n bytes (stable across runs and platforms). */
uint64_t hmap_hash(const void *key, size_t n);

/* Creates an empty map. Errors: P20W_ENOMEM. */
p20w_status hmap_create(hmap **out);

/* Inserts or replaces key → value. Errors: P20W_ENOMEM (map unchanged). */
p20w_status hmap_put(hmap *m, const void *key, size_t klen, void *value);

/* Returns 1 and sets *value (when not NULL) if key is present, else 0. */
int hmap_get(const hmap *m, const void *key, size_t klen, void **value);

/* Convenience for NUL-terminated keys. */
p20w_status hmap_put_str(hmap *m, const char *key, void *value);
int hmap_get_str(const hmap *m, const char *key, void **value);

/* Removes key; returns 1 if it was present. */
int hmap_del(hmap *m, const void *key, size_t klen);

/* Number of keys. */
size_t hmap_count(const hmap *m);

/* Iterates: start with *iter = 0; returns 1 and fills the out-parameters
 * while entries remain, in unspecified order. The map must not change
 * during iteration. Out-parameters may be NULL. */
int hmap_next(const hmap *m, size_t *iter, const void **key, size_t *klen,
              void **value);

/* Frees the map and its keys (not the values). Accepts NULL. */
void hmap_free(hmap *m);

#endif
