/*
 * vec.c — growable array. Capacity doubles, starting at 8 elements; a
 * failed growth leaves the vector as it was.
 */
#include "util/vec.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "util/mem.h"

void vec_init(vec *v, size_t elem_size)
{
    assert(elem_size > 0);
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
    v->elem_size = elem_size;
}

p20w_status vec_reserve(vec *v, size_t n)
{
    if (n <= v->cap)
        return P20W_OK;
    size_t cap = v->cap ? v->cap : 8;
    while (cap < n) {
        if (cap > SIZE_MAX / 2)
            return P20W_ENOMEM;
        cap *= 2;
    }
    if (cap > SIZE_MAX / v->elem_size)
        return P20W_ENOMEM;
    void *d = p20w_realloc(v->data, cap * v->elem_size);
    if (d == NULL)
        return P20W_ENOMEM;
    v->data = d;
    v->cap = cap;
    return P20W_OK;
}

p20w_status vec_push(vec *v, const void *elem)
{
    p20w_status rc = vec_reserve(v, v->len + 1);
    if (rc != P20W_OK)
        return rc;
    memcpy((char *)v->data + v->len * v->elem_size, elem, v->elem_size);
    v->len++;
    return P20W_OK;
}

void *vec_push_zero(vec *v)
{
    if (vec_reserve(v, v->len + 1) != P20W_OK)
        return NULL;
    void *p = (char *)v->data + v->len * v->elem_size;
    memset(p, 0, v->elem_size);
    v->len++;
    return p;
}

void *vec_at(const vec *v, size_t i)
{
    assert(i < v->len);
    return (char *)v->data + i * v->elem_size;
}

void vec_clear(vec *v)
{
    v->len = 0;
}

void vec_free(vec *v)
{
    p20w_free(v->data);
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
}
