/*
 * test_serve.c — unit tests of serve/'s pure parts: HTML escaping and
 * links, the SVG charts (accessible markup, escaping, gaps and bands, no
 * inline style), request parsing (UTF-8 text, Accept-Language, form
 * bodies, parameter kinds), numbers for reading, and the response
 * builder's header rules. The HTTP server itself is tested end to end by
 * golden case 0900 against the real binary.
 */
#include "testutil.h"

#include <unistd.h>

#include "measure/measure.h"
#include "serve/html.h"
#include "serve/labels.h"
#include "serve/serveInt.h"
#include "serve/svg.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/sbuf.h"

/* ---- HTML -------------------------------------------------------------- */

static void test_escape(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b, 0);
    assert_int_equal(serve_html_text(&b, "<a href=\"x\">'&'</a>"), P20W_OK);
    assert_string_equal(
        sbuf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    sbuf_reset(&b);
    /* UTF-8 passes untouched; NULL appends nothing; empty is "" */
    assert_int_equal(serve_html_text(&b, "Español ≥95%"), P20W_OK);
    assert_int_equal(serve_html_text(&b, NULL), P20W_OK);
    assert_string_equal(sbuf_cstr(&b), "Español ≥95%");
    sbuf_reset(&b);
    assert_int_equal(serve_html_text(&b, ""), P20W_OK);
    assert_string_equal(sbuf_cstr(&b), "");
    /* a script tag never survives */
    sbuf_reset(&b);
    assert_int_equal(serve_html_text(&b, "<script>alert(1)</script>"), P20W_OK);
    assert_null(strchr(sbuf_cstr(&b), '<'));
    sbuf_free(&b);
    /* the cap holds */
    sbuf_init(&b, 8);
    assert_int_equal(serve_html_text(&b, "<<<<"), P20W_ELIMIT);
    sbuf_free(&b);
}

static void test_href(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b, 0);
    serve_kv kv[] = {{"place", "region:CZ 468"},
                     {"skip", NULL},
                     {"lang", "xx"},
                     {"q", "a&b=\"c\""}};
    assert_int_equal(serve_html_href(&b, "/graduates", kv, 4, "es"), P20W_OK);
    assert_string_equal(sbuf_cstr(&b),
                        "/graduates?place=region%3ACZ%20468&amp;q=a%26b%3D%"
                        "22c%22&amp;lang=es");
    sbuf_reset(&b);
    assert_int_equal(serve_html_href(&b, "/", NULL, 0, NULL), P20W_OK);
    assert_string_equal(sbuf_cstr(&b), "/");
    sbuf_free(&b);
}

/* ---- SVG --------------------------------------------------------------- */

static void test_svg_chart(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b, 0);
    svg_bar bars[] = {
        {"Whole state", SVG_VALUE, 0.5, 0, "50.0%", 0, NULL},
        {"<Hidden> & small", SVG_HIDDEN, 0, 0, "Hidden: too few people", 0,
         NULL},
        {"Banded", SVG_BAND, 0.95, 1.0, "≥95%", 0, NULL},
        {"A label much longer than the label column can hold in one line "
         "of text",
         SVG_VALUE, 2.0, 0, "200%", 0, NULL},
    };
    svg_chart c = {.id = "c1",
                   .title = "Jobs & pay",
                   .desc = "Bars <one> per row",
                   .percent = 1,
                   .lang = "en"};
    assert_int_equal(svg_bar_chart(&b, &c, bars, 4), P20W_OK);
    const char *s = sbuf_cstr(&b);
    assert_non_null(strstr(s, "role=\"img\""));
    assert_non_null(strstr(s, "aria-labelledby=\"c1-title c1-desc\""));
    assert_non_null(strstr(s, "<title id=\"c1-title\">Jobs &amp; pay</title>"));
    assert_non_null(strstr(s, "<desc id=\"c1-desc\">Bars &lt;one&gt; per row"));
    /* real text for labels and values, escaped */
    assert_non_null(strstr(s, ">&lt;Hidden&gt; &amp; small</text>"));
    assert_non_null(strstr(s, ">50.0%</text>"));
    assert_non_null(strstr(s, ">Hidden: too few people</text>"));
    /* the gap is a dashed empty box, the band a hatched range */
    assert_non_null(strstr(s, "stroke-dasharray"));
    assert_non_null(strstr(s, "fill=\"url(#c1-band)\""));
    /* a long label is shortened, the full text kept in a <title> */
    assert_non_null(strstr(s, "…<title>A label much longer"));
    /* ticks 0%..100%; a value past the axis is clipped, not drawn past */
    assert_non_null(strstr(s, ">100%</text>"));
    assert_null(strstr(s, "width=\"720"));
    /* nothing the CSP forbids */
    assert_null(strstr(s, " style="));
    assert_null(strstr(s, "<style"));
    assert_null(strstr(s, "<script"));
    /* the palette's first colour fills plain bars */
    assert_non_null(strstr(s, svg_series_color(0)));
    sbuf_free(&b);
}

static void test_svg_series_and_ids(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b, 0);
    const char *series[] = {"This school", "Whole state"};
    svg_bar bars[] = {
        {"Pay", SVG_VALUE, 30000, 0, "$30,000", 0, NULL},
        {"Pay", SVG_VALUE, 40000, 0, "$40,000", 1, NULL},
    };
    svg_chart c = {.id = "earn",
                   .title = "Pay",
                   .desc = "d",
                   .unit_prefix = "$",
                   .series = series,
                   .nseries = 2,
                   .lang = "es"};
    assert_int_equal(svg_bar_chart(&b, &c, bars, 2), P20W_OK);
    const char *s = sbuf_cstr(&b);
    /* a legend names both series; the second is patterned, not colour
     * alone; ticks reach a nice maximum in Spanish digits */
    assert_non_null(strstr(s, ">This school</text>"));
    assert_non_null(strstr(s, ">Whole state</text>"));
    assert_non_null(strstr(s, "fill=\"url(#earn-p1)\""));
    assert_non_null(strstr(s, ">$50.000</text>"));
    /* the category label is written once for the group */
    const char *first = strstr(s, ">Pay</text>");
    assert_non_null(first);
    assert_null(strstr(first + 1, ">Pay</text>"));
    sbuf_reset(&b);
    /* ids must be safe to put in attributes and url() */
    c.id = "bad\"id";
    assert_int_equal(svg_bar_chart(&b, &c, bars, 2), P20W_EINVAL);
    c.id = "";
    assert_int_equal(svg_bar_chart(&b, &c, bars, 2), P20W_EINVAL);
    /* no bars: still a valid, labelled image */
    c.id = "empty";
    assert_int_equal(svg_bar_chart(&b, &c, NULL, 0), P20W_OK);
    assert_non_null(strstr(sbuf_cstr(&b), "</svg>"));
    sbuf_free(&b);
}

/* Occurrences of needle in s. */
static int count_of(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(s, needle); p != NULL;
         p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_svg_groups(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b, 0);
    /* a share chart: per group a heading, then one bar per category */
    svg_bar bars[] = {
        {"Employed only", SVG_VALUE, 0.55, 0, "55.0%", 0,
         "Whole state: 222 people"},
        {"Postsecondary only", SVG_HIDDEN, 0, 0, "Hidden", 1,
         "Whole state: 222 people"},
        {"Not found", SVG_BAND, 0.62, 1, "≥62%", 7, "Whole state: 222 people"},
        {"Employed only", SVG_VALUE, 0.4, 0, "40.0%", 0,
         "Asian <& co>: 20 people"},
        {"Postsecondary only", SVG_VALUE, 0.6, 0, "60.0%", 1,
         "Asian <& co>: 20 people"},
    };
    svg_chart c = {
        .id = "sh", .title = "t", .desc = "d", .percent = 1, .lang = "en"};
    assert_int_equal(svg_bar_chart(&b, &c, bars, 5), P20W_OK);
    const char *s = sbuf_cstr(&b);
    /* each heading once, bold, escaped; every category named in text */
    assert_int_equal(count_of(s, ">Whole state: 222 people</text>"), 1);
    assert_int_equal(count_of(s, ">Asian &lt;&amp; co&gt;: 20 people</text>"),
                     1);
    assert_int_equal(count_of(s, "font-weight=\"bold\""), 2);
    assert_int_equal(count_of(s, ">Employed only</text>"), 2);
    assert_int_equal(count_of(s, ">Postsecondary only</text>"), 2);
    /* a fill per category: patterns exist for the fills in use (up to
     * 7), the first is solid; a hidden cell is a dashed gap */
    assert_non_null(strstr(s, "fill=\"url(#sh-p1)\""));
    assert_non_null(strstr(s, "<pattern id=\"sh-p7\""));
    assert_null(strstr(s, "<pattern id=\"sh-p8\""));
    assert_non_null(strstr(s, "stroke-dasharray"));
    assert_non_null(strstr(s, "fill=\"url(#sh-band)\""));
    /* 2 headings + 5 bars, 26 high each, plus the margins: the image is
     * tall enough for every row (TOP 14 + 7 * 26 + AXIS 30) */
    assert_non_null(strstr(s, "viewBox=\"0 0 760 226\""));
    sbuf_reset(&b);
    /* without groups, the same bars have no heading */
    for (size_t i = 0; i < 5; i++)
        bars[i].group = NULL;
    assert_int_equal(svg_bar_chart(&b, &c, bars, 5), P20W_OK);
    assert_null(strstr(sbuf_cstr(&b), "font-weight"));
    assert_non_null(strstr(sbuf_cstr(&b), "viewBox=\"0 0 760 174\""));
    sbuf_reset(&b);
    /* grouped series under headings: a legend, a heading per run */
    const char *series[] = {"This school", "Whole state"};
    svg_bar pair[] = {
        {"Employed only", SVG_VALUE, 0.5, 0, "50.0%", 0, "1 year"},
        {"Employed only", SVG_VALUE, 0.6, 0, "60.0%", 1, "1 year"},
        {"Employed only", SVG_HIDDEN, 0, 0, "Hidden", 0, "3 years"},
        {"Employed only", SVG_VALUE, 0.7, 0, "70.0%", 1, "3 years"},
    };
    c.series = series;
    c.nseries = 2;
    assert_int_equal(svg_bar_chart(&b, &c, pair, 4), P20W_OK);
    s = sbuf_cstr(&b);
    assert_int_equal(count_of(s, ">1 year</text>"), 1);
    assert_int_equal(count_of(s, ">3 years</text>"), 1);
    /* the category label is written once per heading */
    assert_int_equal(count_of(s, ">Employed only</text>"), 2);
    assert_non_null(strstr(s, ">Whole state</text>"));
    sbuf_free(&b);
}

/* ---- labels of share categories ------------------------------------------ */

static void test_category_labels(void **state)
{
    (void)state;
    /* every category label of every share indicator is a msgid of
     * labels.c (else Spanish pages would show English) */
    size_t n, checked = 0;
    const measure_indicator *cat = measure_catalog(&n);
    for (size_t i = 0; i < n; i++) {
        if (cat[i].stat != MS_SHARE)
            continue;
        assert_non_null(cat[i].category_label);
        for (int32_t k = 0; k < 1000; k++) {
            const char *l = cat[i].category_label(k);
            if (l[0] == '\0')
                continue;
            if (!serve_category_known(l))
                fail_msg("%s category %d '%s' has no msgid", cat[i].id, (int)k,
                         l);
            checked++;
        }
    }
    assert_true(checked >= 6 + 22 + 1);
    char buf[200];
    assert_string_equal(
        serve_category_label(NULL, "Employed only", buf, sizeof buf),
        "Employed only");
    assert_string_equal(serve_category_label(NULL, NULL, buf, sizeof buf), "");
    assert_string_equal(serve_category_label(NULL, "", buf, sizeof buf), "");
    /* SOC codes: the occupation's title with its code, else the code */
    hmap *occ = NULL;
    assert_int_equal(hmap_create(&occ), P20W_OK);
    assert_int_equal(hmap_put_str(occ, "29-1141", "Registered nurses"),
                     P20W_OK);
    assert_string_equal(serve_category_label(occ, "29-1141", buf, sizeof buf),
                        "Registered nurses (29-1141)");
    assert_string_equal(serve_category_label(occ, "11-1011", buf, sizeof buf),
                        "11-1011");
    assert_string_equal(
        serve_category_label(occ, "No projected occupation", buf, sizeof buf),
        "No projected occupation");
    /* a short buffer: shortened, still a string */
    char tiny[8];
    assert_int_equal(
        strlen(serve_category_label(occ, "29-1141", tiny, sizeof tiny)), 7);
    hmap_free(occ);
}

static void test_occupations_load(void **state)
{
    (void)state;
    hmap *occ = NULL;
    arena *a = NULL;
    p20w_err err = {0};
    void *v;
    assert_int_equal(hmap_create(&occ), P20W_OK);
    assert_int_equal(arena_create(4096, &a), P20W_OK);
    /* the real file: every SUPPLY_DEMAND code has a title, broad groups
     * and the matrix's aggregates too */
    assert_int_equal(serve_occupations_load(P20W_DATADIR, occ, a, &err),
                     P20W_OK);
    assert_true(hmap_count(occ) > 800);
    assert_true(hmap_get_str(occ, "29-1141", &v));
    assert_string_equal(v, "Registered nurses");
    assert_true(hmap_get_str(occ, "13-1020", &v));
    assert_string_equal(v, "Buyers and purchasing agents");
    hmap_free(occ);
    arena_free(a);
    /* bad folders and files: clear errors */
    assert_int_equal(hmap_create(&occ), P20W_OK);
    assert_int_equal(arena_create(4096, &a), P20W_OK);
    assert_int_equal(serve_occupations_load("/nonexistent", occ, a, &err),
                     P20W_EIO);
    char dir[] = "/tmp/p20w-occ-XXXXXX", path[300];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bls_occupation_projections_2024_2034.csv",
             dir);
    static const char *const bad[] = {
        "soc,title\n11-1011,Chief executives\n",    /* no such columns */
        "soc_code,occupation_title\n11-1011\n",     /* a short row */
        "soc_code,occupation_title\n\"11-1011,x\n", /* unterminated */
    };
    static const p20w_status want[] = {P20W_EFORMAT, P20W_EFORMAT,
                                       P20W_EFORMAT};
    for (size_t i = 0; i < 3; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i], f);
        fclose(f);
        memset(&err, 0, sizeof err);
        assert_int_equal(serve_occupations_load(dir, occ, a, &err), want[i]);
        assert_true(err.msg[0] != '\0');
    }
    unlink(path);
    rmdir(dir);
    hmap_free(occ);
    arena_free(a);
}

/* ---- requests ---------------------------------------------------------- */

static void test_text_ok(void **state)
{
    (void)state;
    assert_true(serve_text_ok("plain", 5));
    assert_true(serve_text_ok("añ ≥ 😀", strlen("añ ≥ 😀")));
    assert_true(serve_text_ok("tab\there", 8));
    assert_false(serve_text_ok("nul\0x", 5));
    assert_false(serve_text_ok("line\nbreak", 10));
    assert_false(serve_text_ok("\x7f", 1));
    assert_false(serve_text_ok("\xc3", 1));             /* truncated */
    assert_false(serve_text_ok("\xc0\xaf", 2));         /* overlong */
    assert_false(serve_text_ok("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(serve_text_ok("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(serve_text_ok("\xc2\x85", 2));         /* C1 control */
    assert_false(serve_text_ok("\xff", 1));
}

static void test_lang(void **state)
{
    (void)state;
    assert_string_equal(serve_lang_negotiate(NULL), "en");
    assert_string_equal(serve_lang_negotiate(""), "en");
    assert_string_equal(serve_lang_negotiate("es"), "es");
    assert_string_equal(serve_lang_negotiate("es-MX,es;q=0.9,en;q=0.8"), "es");
    assert_string_equal(serve_lang_negotiate("en-US,es;q=0.5"), "en");
    assert_string_equal(serve_lang_negotiate("fr, es;q=0.3"), "es");
    assert_string_equal(serve_lang_negotiate("es;q=0, en;q=0.1"), "en");
    assert_string_equal(serve_lang_negotiate("esperanto"), "en");
    assert_string_equal(serve_lang_negotiate("es;q=abc"), "en");
    assert_string_equal(serve_lang_negotiate(";;;,,,q="), "en");
    assert_string_equal(serve_lang_negotiate("es;"), "es");
    assert_string_equal(serve_lang_negotiate("es; q=nan"), "en");
}

static void test_form(void **state)
{
    (void)state;
    serve_kv kv[4];
    size_t n = 0;
    char *str = NULL;
    p20w_err err = {0};
    const char *body = "user=ana+l%C3%B3pez&pass=a%26b%3Dc&&empty=&flag";
    assert_int_equal(
        serve_form_parse(body, strlen(body), kv, 4, &n, &str, &err), P20W_OK);
    assert_int_equal(n, 4);
    assert_string_equal(kv[0].name, "user");
    assert_string_equal(kv[0].value, "ana lópez");
    assert_string_equal(kv[1].value, "a&b=c");
    assert_string_equal(kv[2].name, "empty");
    assert_string_equal(kv[2].value, "");
    assert_string_equal(kv[3].name, "flag");
    assert_string_equal(kv[3].value, "");
    p20w_free(str);
    /* A textarea's line breaks are kept; other controls are refused. */
    const char *lines = "t=line+1%0D%0Aline%092";
    assert_int_equal(
        serve_form_parse(lines, strlen(lines), kv, 4, &n, &str, &err), P20W_OK);
    assert_string_equal(kv[0].value, "line 1\r\nline\t2");
    p20w_free(str);
    static const char *const bad[] = {"a=%zz",   "a=%4",   "a=%00",
                                      "%41%=1",  "a=%C3",  "=novalue",
                                      "a=x%07y", "a%0A=1", "a=%1B"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            serve_form_parse(bad[i], strlen(bad[i]), kv, 4, &n, &str, &err),
            P20W_EFORMAT);
        assert_null(str);
    }
    const char *many = "a=1&b=2&c=3&d=4&e=5";
    assert_int_equal(
        serve_form_parse(many, strlen(many), kv, 4, &n, &str, &err),
        P20W_ELIMIT);
    assert_null(str);
    assert_int_equal(serve_form_parse("", 0, kv, 4, &n, &str, &err), P20W_OK);
    assert_int_equal(n, 0);
}

static void test_params(void **state)
{
    (void)state;
    char why[200];
    serve_param_spec year = {"year", SERVE_P_YEAR, NULL};
    serve_param_spec id = {"school", SERVE_P_ID, NULL};
    serve_param_spec en = {"f", SERVE_P_ENUM, "json|csv"};
    serve_param_spec num = {"n", SERVE_P_INT, NULL};
    serve_param_spec txt = {"t", SERVE_P_TEXT, NULL};
    assert_int_equal(serve_param_check(&year, "2024", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&year, "1800", why, sizeof why), 0);
    assert_non_null(strstr(why, "year"));
    assert_int_not_equal(serve_param_check(&year, "20x4", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&year, "-2024", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&year, "", why, sizeof why), 0);
    assert_int_equal(serve_param_check(&id, "CZ 468", why, sizeof why), 0);
    assert_int_equal(serve_param_check(&id, "210190100", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&id, " lead", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&id, "a/b", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&id, "<x>", why, sizeof why), 0);
    char longid[80];
    memset(longid, 'a', 70);
    longid[70] = '\0';
    assert_int_not_equal(serve_param_check(&id, longid, why, sizeof why), 0);
    assert_int_equal(serve_param_check(&en, "csv", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&en, "xml", why, sizeof why), 0);
    assert_non_null(strstr(why, "json or csv"));
    assert_int_not_equal(serve_param_check(&en, "cs", why, sizeof why), 0);
    assert_int_equal(serve_param_check(&num, "42", why, sizeof why), 0);
    assert_int_not_equal(
        serve_param_check(&num, "99999999999", why, sizeof why), 0);
    assert_int_equal(serve_param_check(&txt, "any text ≥", why, sizeof why), 0);
    assert_int_not_equal(serve_param_check(&txt, "a\nb", why, sizeof why), 0);
    char big[300];
    memset(big, 'x', 250);
    big[250] = '\0';
    assert_int_not_equal(serve_param_check(&txt, big, why, sizeof why), 0);
}

static void test_numbers(void **state)
{
    (void)state;
    char buf[64];
    serve_fmt_number("en", 1234567.891, 1, buf, sizeof buf);
    assert_string_equal(buf, "1,234,567.9");
    serve_fmt_number("es", 1234567.891, 1, buf, sizeof buf);
    assert_string_equal(buf, "1.234.567,9");
    serve_fmt_number("en", 1234, 0, buf, sizeof buf);
    assert_string_equal(buf, "1,234");
    serve_fmt_number("es", 1234, 0, buf, sizeof buf); /* RAE: 4 digits */
    assert_string_equal(buf, "1234");
    serve_fmt_number("en", -5.25, 2, buf, sizeof buf);
    assert_string_equal(buf, "-5.25");
    serve_fmt_number("en", 0.0 / 0.0, 1, buf, sizeof buf);
    assert_string_equal(buf, "–");
    /* money: whole dollars, the language's grouping, "$" before */
    serve_fmt_money("en", 35657.36, buf, sizeof buf);
    assert_string_equal(buf, "$35,657");
    serve_fmt_money("es", 35657.36, buf, sizeof buf);
    assert_string_equal(buf, "$35.657");
    serve_fmt_money("en", 1234.5, buf, sizeof buf);
    assert_string_equal(buf, "$1,235");
    serve_fmt_money("es", 1234.5, buf, sizeof buf);
    assert_string_equal(buf, "$1235");
    serve_fmt_money("en", 0.4, buf, sizeof buf);
    assert_string_equal(buf, "$0");
    serve_fmt_money("en", -1500, buf, sizeof buf);
    assert_string_equal(buf, "-$1,500");
    serve_fmt_money("en", 1.0 / 0.0, buf, sizeof buf);
    assert_string_equal(buf, "–");
    serve_fmt_money("en", 35657.36, buf, 4); /* the cap holds */
    assert_string_equal(buf, "$35");
    /* yes/no flags as stored (0/1); anything else as it is */
    assert_string_equal(serve_fmt_flag("1"), "Yes");
    assert_string_equal(serve_fmt_flag("0"), "No");
    assert_string_equal(serve_fmt_flag("Y"), "Y");
    assert_string_equal(serve_fmt_flag(""), "");
    assert_string_equal(serve_fmt_flag("10"), "10");
    assert_string_equal(serve_fmt_flag(NULL), "");
}

static void test_resp_headers(void **state)
{
    (void)state;
    serve_resp out;
    serve_resp_init(&out);
    assert_int_equal(serve_resp_header(&out, "X-A", "1"), P20W_OK);
    assert_int_equal(serve_resp_header(&out, "x-a", "2"), P20W_OK);
    assert_int_equal(out.headers.len, 1); /* replaced */
    assert_int_equal(serve_resp_header(&out, "Set-Cookie", "a=1"), P20W_OK);
    assert_int_equal(serve_resp_header(&out, "Set-Cookie", "b=2"), P20W_OK);
    assert_int_equal(out.headers.len, 3); /* cookies repeat */
    /* header injection is refused */
    assert_int_equal(serve_resp_header(&out, "X-B", "v\r\nSet-Cookie: x"),
                     P20W_EINVAL);
    assert_int_equal(serve_resp_header(&out, "X\nB", "v"), P20W_EINVAL);
    assert_int_equal(serve_resp_security(&out), P20W_OK);
    int csp = 0;
    const serve_kv *h = out.headers.data;
    for (size_t i = 0; i < out.headers.len; i++)
        if (strcmp(h[i].name, "Content-Security-Policy") == 0) {
            csp = 1;
            assert_non_null(strstr(h[i].value, "default-src 'self'"));
            assert_non_null(strstr(h[i].value, "frame-ancestors 'none'"));
            assert_null(strstr(h[i].value, "unsafe-inline"));
        }
    assert_true(csp);
    /* redirects only to local paths */
    assert_int_equal(serve_resp_redirect(&out, "//evil.example/"), P20W_EINVAL);
    assert_int_equal(serve_resp_redirect(&out, "https://evil.example/"),
                     P20W_EINVAL);
    assert_int_equal(serve_resp_redirect(&out, "/login"), P20W_OK);
    assert_int_equal(out.status, 303);
    serve_resp_clear(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_href),
        cmocka_unit_test(test_svg_chart),
        cmocka_unit_test(test_svg_series_and_ids),
        cmocka_unit_test(test_svg_groups),
        cmocka_unit_test(test_category_labels),
        cmocka_unit_test(test_occupations_load),
        cmocka_unit_test(test_text_ok),
        cmocka_unit_test(test_lang),
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_resp_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
