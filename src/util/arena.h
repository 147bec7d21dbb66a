/*
 * arena.h — bump allocator for per-run scratch data.
 *
 * Allocations come from large blocks and are freed all at once by
 * arena_reset() or arena_free(); there is no per-object free. Memory is
 * aligned to 16 bytes. Not thread-safe.
 */
#ifndef P20W_ARENA_H
#define P20W_ARENA_H

#include <stddef.h>

#include "util/error.h"

typedef struct arena arena;

/* Creates an arena whose blocks are block_size bytes (0 = 64 KiB); larger
 * requests get a block of their own. Errors: P20W_ENOMEM. */
p20w_status arena_create(size_t block_size, arena **out);

/* Returns n bytes (uninitialised), or NULL when out of memory. */
void *arena_alloc(arena *a, size_t n);

/* Returns n zeroed bytes, or NULL. */
void *arena_calloc(arena *a, size_t n);

/* Copies s[0..n) into the arena and NUL-terminates it, or NULL. */
char *arena_strndup(arena *a, const char *s, size_t n);

/* Bytes handed out since creation or the last reset. */
size_t arena_used(const arena *a);

/* Forgets every allocation but keeps the first block for reuse. */
void arena_reset(arena *a);

/* Frees the arena and everything in it. Accepts NULL. */
void arena_free(arena *a);

#endif
