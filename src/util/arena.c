/*
 * arena.c — bump allocator in a chain of blocks.
 *
 * Invariant: `head` is the block being filled; older blocks hang off its
 * `next`. A request larger than the block size gets a block of its own,
 * linked behind the head so the head keeps filling. reset() frees all
 * blocks but one standard-size one, so a loop that resets per record
 * reuses the same memory.
 */
#include "util/arena.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "util/mem.h"

#define ARENA_ALIGN 16

typedef struct block {
    struct block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    max_align_t pad[]; /* data follows, aligned */
} block;

struct arena {
    block *head;
    size_t block_size;
    size_t used_total;
};

static block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(block))
        return NULL; /* the header would wrap the size around */
    block *b = p20w_malloc(sizeof(block) + size);
    if (b == NULL)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

p20w_status arena_create(size_t block_size, arena **out)
{
    *out = NULL;
    arena *a = p20w_calloc(1, sizeof *a);
    if (a == NULL)
        return P20W_ENOMEM;
    a->block_size = block_size ? block_size : 64 * 1024;
    *out = a;
    return P20W_OK;
}

void *arena_alloc(arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n)
        return NULL; /* overflow */
    block *b = a->head;
    if (b == NULL || b->size - b->used < need) {
        size_t size = need > a->block_size ? need : a->block_size;
        block *nb = block_new(size);
        if (nb == NULL)
            return NULL;
        if (size > a->block_size && b != NULL) {
            nb->next = b->next; /* oversized: keep filling the head */
            b->next = nb;
        } else {
            nb->next = a->head;
            a->head = nb;
        }
        b = nb;
    }
    void *p = (char *)b->pad + b->used;
    b->used += need;
    a->used_total += n;
    assert(((uintptr_t)p % ARENA_ALIGN) == 0);
    return p;
}

void *arena_calloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

size_t arena_used(const arena *a)
{
    return a->used_total;
}

void arena_reset(arena *a)
{
    block *keep = NULL;
    block *b = a->head;
    while (b != NULL) {
        block *next = b->next;
        if (keep == NULL && b->size == a->block_size)
            keep = b;
        else
            p20w_free(b);
        b = next;
    }
    if (keep != NULL) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->used_total = 0;
}

void arena_free(arena *a)
{
    if (a == NULL)
        return;
    block *b = a->head;
    while (b != NULL) {
        block *next = b->next;
        p20w_free(b);
        b = next;
    }
    p20w_free(a);
}
