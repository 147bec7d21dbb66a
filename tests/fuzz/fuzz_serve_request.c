/*
 * fuzz_serve_request.c — libFuzzer target for what serve/ parses of an
 * HTTP request itself (libmicrohttpd parses the request line and headers):
 * form bodies, query values against every parameter kind, Accept-Language
 * headers, the UTF-8 text check, and HTML escaping of whatever got
 * through.
 *
 * Invariants checked: a form parse either fails cleanly (nothing
 * returned) or returns at most the cap of fields, each a valid text (a
 * value may hold line breaks, a name may not); a
 * value a parameter kind accepts is valid text of bounded length; the
 * language is "en" or "es"; escaped text holds no '<', '>', '"' or '\''.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/html.h"
#include "serve/serveInt.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr,                                                    \
                    "fuzz_serve_request: check failed: %s (line %d)\n", #cond, \
                    __LINE__);                                                 \
            abort();                                                           \
        }                                                                      \
    } while (0)

static void form(const char *s, size_t n)
{
    serve_kv kv[8];
    size_t count = 99;
    char *strings = NULL;
    p20w_err err = {0};
    p20w_status rc = serve_form_parse(s, n, kv, 8, &count, &strings, &err);
    if (rc != P20W_OK) {
        CHECK(strings == NULL);
        return;
    }
    CHECK(count <= 8);
    for (size_t i = 0; i < count; i++) {
        CHECK(serve_text_ok(kv[i].name, strlen(kv[i].name)));
        CHECK(kv[i].name[0] != '\0');
        CHECK(serve_form_value_ok(kv[i].value, strlen(kv[i].value)));
    }
    p20w_free(strings);
}

static void param(const char *v)
{
    static const serve_param_spec specs[] = {
        {"y", SERVE_P_YEAR, NULL}, {"i", SERVE_P_INT, NULL},
        {"d", SERVE_P_ID, NULL},   {"e", SERVE_P_ENUM, "json|csv|a b"},
        {"t", SERVE_P_TEXT, NULL},
    };
    char why[300];
    for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++)
        if (serve_param_check(&specs[k], v, why, sizeof why) == 0) {
            size_t n = strlen(v);
            CHECK(n > 0 && n <= SERVE_MAX_VALUE);
            CHECK(serve_text_ok(v, n));
            if (specs[k].kind == SERVE_P_ID)
                CHECK(strpbrk(v, "<>\"'&/") == NULL && n <= 64);
        }
}

static void escape(const char *v)
{
    sbuf b;
    sbuf_init(&b, 0);
    if (serve_html_text(&b, v) == P20W_OK)
        CHECK(strpbrk(sbuf_cstr(&b), "<>\"'") == NULL);
    sbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    form(s, size);
    const char *lang = serve_lang_negotiate(s);
    CHECK(strcmp(lang, "en") == 0 || strcmp(lang, "es") == 0);
    (void)serve_text_ok(s, size);
    if (strlen(s) == size) {
        param(s);
        escape(s);
    }
    free(s);
    return 0;
}
