/*
 * mem.h — the one allocation wrapper.
 *
 * All heap memory in p20w goes through these functions so that test builds
 * (P20W_TESTING) can make the Nth allocation fail and walk N over a code
 * path, proving that every failure is handled (curl's torture mode, SQLite's
 * OOM loops). They return NULL on failure like malloc; callers turn that
 * into P20W_ENOMEM. p20w_free(NULL) is a no-op.
 */
#ifndef P20W_MEM_H
#define P20W_MEM_H

#include <stddef.h>

void *p20w_malloc(size_t n);
void *p20w_calloc(size_t count, size_t size);
void *p20w_realloc(void *p, size_t n);
void p20w_free(void *p);
char *p20w_strdup(const char *s);
char *p20w_strndup(const char *s, size_t n);

/* Test builds only (no-ops otherwise): after `n` more successful
 * allocations, every allocation fails until p20w_mem_fail_reset().
 * n < 0 disables failure injection. */
void p20w_mem_fail_after(long n);
void p20w_mem_fail_reset(void);
/* Whether an allocation has failed by injection since the last reset. */
int p20w_mem_failed(void);

#endif
