/*
 * vec.h — growable array of fixed-size elements.
 *
 * A small value type: callers see the fields and may read data[0..len)
 * directly (cast to the element type). Growth doubles the capacity.
 */
#ifndef P20W_VEC_H
#define P20W_VEC_H

#include <stddef.h>

#include "util/error.h"

typedef struct vec {
    void *data;       /* elements, owned */
    size_t len;       /* elements in use */
    size_t cap;       /* elements allocated */
    size_t elem_size; /* bytes per element */
} vec;

/* Initialises an empty vector; allocates nothing. */
void vec_init(vec *v, size_t elem_size);

/* Makes room for at least n elements in total. Errors: P20W_ENOMEM (the
 * vector is unchanged). */
p20w_status vec_reserve(vec *v, size_t n);

/* Appends a copy of *elem. Errors: P20W_ENOMEM (unchanged). */
p20w_status vec_push(vec *v, const void *elem);

/* Appends one zeroed element and returns it, or NULL when out of memory. */
void *vec_push_zero(vec *v);

/* Pointer to element i; i < len is asserted. */
void *vec_at(const vec *v, size_t i);

/* Sets len to 0, keeping the memory. */
void vec_clear(vec *v);

/* Frees the memory; the vector is empty and reusable. */
void vec_free(vec *v);

#endif
