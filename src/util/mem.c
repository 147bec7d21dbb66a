/*
 * mem.c — allocation wrapper with failure injection in test builds.
 *
 * The injection counter is process-global test scaffolding, compiled only
 * under P20W_TESTING; release builds are plain libc calls. It is not
 * thread-safe, and tests that use it run single-threaded.
 */
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

#ifdef P20W_TESTING
static long fail_countdown = -1;
static int fail_hit = 0;

static int should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0) {
        fail_hit = 1;
        return 1;
    }
    fail_countdown--;
    return 0;
}

void p20w_mem_fail_after(long n)
{
    fail_countdown = n;
    fail_hit = 0;
}

void p20w_mem_fail_reset(void)
{
    fail_countdown = -1;
}

int p20w_mem_failed(void)
{
    return fail_hit;
}
#else
static int should_fail(void)
{
    return 0;
}

void p20w_mem_fail_after(long n)
{
    (void)n;
}

void p20w_mem_fail_reset(void)
{
}

int p20w_mem_failed(void)
{
    return 0;
}
#endif

void *p20w_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *p20w_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *p20w_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void p20w_free(void *p)
{
    free(p);
}

char *p20w_strndup(const char *s, size_t n)
{
    char *d = p20w_malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *p20w_strdup(const char *s)
{
    return p20w_strndup(s, strlen(s));
}
