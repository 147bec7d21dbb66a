/*
 * svg.c — horizontal bar charts as accessible SVG (svg.h).
 *
 * Geometry (user units; the viewBox scales it to the page): a label
 * column on the left, the bars, then room for the value text. Each bar
 * row is ROW_H high; grouped series stack within a category; a group
 * heading takes a row of its own. Ticks are "nice" numbers (1, 2, 2.5 or
 * 5 times a power of ten).
 */
#include "serve/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "serve/html.h"

#define W 760
#define LABEL_W 250
#define BAR_X 260
#define BAR_W 360
#define ROW_H 26
#define TOP 14
#define AXIS_H 30
#define LEGEND_H 26
#define MAX_LABEL                                                              \
    34 /* characters of a label before it is shortened (13px                   \
        * text in LABEL_W) */

/* Okabe & Ito (2008), "Color Universal Design": blue, vermillion, bluish
 * green, reddish purple — each at least 3:1 against white (WCAG 1.4.11). */
static const char *const palette[SVG_MAX_SERIES] = {"#0072B2", "#D55E00",
                                                    "#009E73", "#CC79A7"};

const char *svg_series_color(int series)
{
    if (series < 0 || series >= SVG_MAX_SERIES)
        series = 0;
    return palette[series];
}

static int id_ok(const char *id)
{
    if (id == NULL || *id == '\0' || strlen(id) > 40)
        return 0;
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-'))
            return 0;
    return 1;
}

/* The least nice number >= x: 1, 2, 2.5, 5 x 10^k. */
static double nice_ceil(double x)
{
    if (x <= 0)
        return 1;
    double p = pow(10, floor(log10(x)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * p >= x * (1 - 1e-12))
            return steps[i] * p;
    return 10 * p;
}

/* Appends s escaped, shortened to MAX_LABEL characters (UTF-8 aware)
 * with an ellipsis. */
static p20w_status text_short(sbuf *out, const char *s, int *shortened)
{
    size_t chars = 0, i = 0, n = strlen(s);
    while (i < n && chars < MAX_LABEL) {
        unsigned char c = (unsigned char)s[i];
        i += c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        chars++;
    }
    if (i > n)
        i = n;
    *shortened = i < n;
    p20w_status rc = serve_html_textn(out, s, i);
    if (rc == P20W_OK && *shortened)
        rc = sbuf_puts(out, "…");
    return rc;
}

static void tick_label(const svg_chart *c, double v, char *buf, size_t cap)
{
    if (c->percent) {
        snprintf(buf, cap, "%.0f%%", v * 100);
        return;
    }
    char num[48];
    serve_fmt_number(c->lang, v, v == floor(v) ? 0 : 1, num, sizeof num);
    snprintf(buf, cap, "%s%s", c->unit_prefix ? c->unit_prefix : "", num);
}

/* The pattern of each fill beyond the first (solid): white strokes over
 * the fill's colour. */
static const char *const fill_paths[SVG_FILLS] = {
    NULL,
    "M0,6 l6,-6",           /* / */
    "M0,0 l6,6",            /* \ */
    "M3,0 v6",              /* | */
    "M0,3 h6",              /* - */
    "M0,3 h6 M3,0 v6",      /* + */
    "M0,6 l6,-6 M0,0 l6,6", /* x */
    "M2,2 h2 v2 h-2 z",     /* dots */
};

static p20w_status defs(sbuf *b, const char *id, int nfill)
{
    /* a pattern per fill in use beyond the first (solid), and the band
     * hatch */
    p20w_status rc = sbuf_puts(b, "<defs>\n");
    for (int s = 1; rc == P20W_OK && s < nfill && s < SVG_FILLS; s++)
        rc = sbuf_printf(b,
                         "<pattern id=\"%s-p%d\" width=\"6\" height=\"6\" "
                         "patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
                         "height=\"6\" fill=\"%s\"/><path d=\"%s\" "
                         "stroke=\"#ffffff\" stroke-width=\"1.5\" "
                         "fill=\"none\"/></pattern>\n",
                         id, s, palette[s % SVG_MAX_SERIES], fill_paths[s]);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<pattern id=\"%s-band\" width=\"8\" height=\"8\" "
                         "patternUnits=\"userSpaceOnUse\" "
                         "patternTransform=\"rotate(45)\"><rect width=\"8\" "
                         "height=\"8\" fill=\"#ffffff\"/><rect width=\"3\" "
                         "height=\"8\" fill=\"#555555\"/></pattern>\n",
                         id);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</defs>\n");
    return rc;
}

static void fill_of(const char *id, int series, char *buf, size_t cap)
{
    if (series <= 0 || series >= SVG_FILLS)
        snprintf(buf, cap, "%s", palette[0]);
    else
        snprintf(buf, cap, "url(#%s-p%d)", id, series);
}

static p20w_status axis(sbuf *b, const svg_chart *c, double max, int y0, int y1)
{
    p20w_status rc = P20W_OK;
    char lab[48];
    for (int k = 0; rc == P20W_OK && k <= 4; k++) {
        double v = max * k / 4;
        double x = BAR_X + BAR_W * (double)k / 4;
        tick_label(c, v, lab, sizeof lab);
        rc = sbuf_printf(b,
                         "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                         "stroke=\"#c8c8c8\" stroke-width=\"1\"/>\n"
                         "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
                         "text-anchor=\"middle\" fill=\"#1b1b1b\">%s</text>\n",
                         x, y0, x, y1, x, y1 + 16, lab);
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                         "stroke=\"#1b1b1b\" stroke-width=\"1.5\"/>\n",
                         BAR_X, y0, BAR_X, y1);
    return rc;
}

static p20w_status legend(sbuf *b, const svg_chart *c, int y)
{
    p20w_status rc = P20W_OK;
    double x = BAR_X;
    for (size_t s = 0; rc == P20W_OK && s < c->nseries && s < SVG_MAX_SERIES;
         s++) {
        char fill[64];
        fill_of(c->id, (int)s, fill, sizeof fill);
        rc = sbuf_printf(b,
                         "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"14\" "
                         "fill=\"%s\" stroke=\"#1b1b1b\" stroke-width=\"0.5\"/>"
                         "<text x=\"%.1f\" y=\"%d\" font-size=\"13\" "
                         "fill=\"#1b1b1b\">",
                         x, y, fill, x + 20, y + 12);
        if (rc == P20W_OK)
            rc = serve_html_text(b, c->series[s]);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</text>\n");
        x += 40 + 7.5 * (double)strlen(c->series[s]);
    }
    return rc;
}

static double data_max(const svg_chart *c, const svg_bar *bars, size_t n)
{
    if (c->max > 0)
        return c->max;
    if (c->percent)
        return 1;
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = bars[i].kind == SVG_BAND ? bars[i].hi : bars[i].value;
        if (bars[i].kind != SVG_HIDDEN && isfinite(v) && v > m)
            m = v;
    }
    return nice_ceil(m);
}

static p20w_status one_bar(sbuf *b, const svg_chart *c, const svg_bar *bar,
                           double max, double y, double h)
{
    char fill[64];
    double scale = BAR_W / max;
    p20w_status rc = P20W_OK;
    double tx;
    if (bar->kind == SVG_HIDDEN) {
        rc = sbuf_printf(
            b,
            "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
            "fill=\"none\" stroke=\"#555555\" stroke-width=\"1\" "
            "stroke-dasharray=\"4 3\"/>\n",
            BAR_X + 1, y + 2, 24, h - 4);
        tx = BAR_X + 32;
    } else if (bar->kind == SVG_BAND) {
        double lo = fmax(0, fmin(bar->value, max)) * scale;
        double hi = fmax(0, fmin(bar->hi, max)) * scale;
        rc = sbuf_printf(b,
                         "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" fill=\"url(#%s-band)\" "
                         "stroke=\"#1b1b1b\" stroke-width=\"1\"/>\n",
                         BAR_X + lo, y + 2, fmax(hi - lo, 2), h - 4, c->id);
        tx = BAR_X + hi + 6;
    } else {
        double w = fmax(0, fmin(bar->value, max)) * scale;
        fill_of(c->id, bar->series, fill, sizeof fill);
        rc = sbuf_printf(b,
                         "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" fill=\"%s\"/>\n",
                         BAR_X, y + 2, fmax(w, 1), h - 4, fill);
        tx = BAR_X + w + 6;
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
                         "fill=\"#1b1b1b\"%s>",
                         tx, y + h / 2 + 4.5,
                         bar->kind == SVG_HIDDEN ? " font-style=\"italic\""
                                                 : "");
    if (rc == P20W_OK)
        rc = serve_html_text(b, bar->text ? bar->text : "");
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</text>\n");
    return rc;
}

/* 1 when bar i starts a new heading (its group differs from bar i-1's). */
static int new_group(const svg_bar *bars, size_t i)
{
    if (bars[i].group == NULL)
        return 0;
    return i == 0 || bars[i - 1].group == NULL ||
           strcmp(bars[i].group, bars[i - 1].group) != 0;
}

static p20w_status heading(sbuf *b, const char *text, double y)
{
    p20w_status rc = sbuf_printf(b,
                                 "<text x=\"4\" y=\"%.1f\" font-size=\"13\" "
                                 "font-weight=\"bold\" fill=\"#1b1b1b\">",
                                 y + ROW_H / 2.0 + 4.5);
    if (rc == P20W_OK)
        rc = serve_html_text(b, text);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</text>\n");
    return rc;
}

static p20w_status bar_label(sbuf *b, const char *label, double y)
{
    int shortened = 0;
    p20w_status rc = sbuf_printf(b,
                                 "<text x=\"%d\" y=\"%.1f\" font-size=\"13\" "
                                 "text-anchor=\"end\" fill=\"#1b1b1b\">",
                                 LABEL_W, y);
    if (rc == P20W_OK)
        rc = text_short(b, label, &shortened);
    if (rc == P20W_OK && shortened) {
        rc = sbuf_puts(b, "<title>");
        if (rc == P20W_OK)
            rc = serve_html_text(b, label);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</title>");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</text>\n");
    return rc;
}

p20w_status svg_bar_chart(sbuf *b, const svg_chart *c, const svg_bar *bars,
                          size_t n)
{
    if (!id_ok(c->id))
        return P20W_EINVAL;
    int ns = c->nseries > 1 ? (int)c->nseries : 1;
    if (ns > SVG_MAX_SERIES)
        ns = SVG_MAX_SERIES;
    /* categories: runs of equal labels; headings: runs of equal groups */
    size_t ncat = 0, nhead = 0;
    int nfill = ns;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || ns == 1 || new_group(bars, i) ||
            strcmp(bars[i].label, bars[i - 1].label) != 0)
            ncat++;
        nhead += (size_t)new_group(bars, i);
        if (bars[i].series >= nfill && bars[i].series < SVG_FILLS)
            nfill = bars[i].series + 1;
    }
    double cat_h = ns == 1 ? ROW_H : (double)ROW_H * 0.75 * ns + 8;
    int legend_h = c->nseries > 1 ? LEGEND_H : 0;
    int plot_h = (int)(cat_h * (double)(ncat ? ncat : 1)) + ROW_H * (int)nhead;
    int height = TOP + legend_h + plot_h + AXIS_H;
    double max = data_max(c, bars, n);
    p20w_status rc = sbuf_printf(
        b,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
        "role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
        "font-family=\"system-ui, sans-serif\">\n<title id=\"%s-title\">",
        W, height, c->id, c->id, c->id);
    if (rc == P20W_OK)
        rc = serve_html_text(b, c->title);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</title>\n<desc id=\"%s-desc\">", c->id);
    if (rc == P20W_OK)
        rc = serve_html_text(b, c->desc);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</desc>\n");
    if (rc == P20W_OK)
        rc = defs(b, c->id, nfill);
    if (rc == P20W_OK && legend_h)
        rc = legend(b, c, TOP - 8);
    int y0 = TOP + legend_h;
    if (rc == P20W_OK)
        rc = axis(b, c, max, y0, y0 + plot_h);
    double next = y0, cy = y0; /* the next free row; the category's top */
    size_t in_cat = 0;
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        int head = new_group(bars, i);
        int first = i == 0 || ns == 1 || head ||
                    strcmp(bars[i].label, bars[i - 1].label) != 0;
        if (head) {
            rc = heading(b, bars[i].group, next);
            next += ROW_H;
        }
        if (first) {
            cy = next;
            next += cat_h;
            in_cat = 0;
        }
        double h = ns == 1 ? ROW_H : ROW_H * 0.75;
        double y = ns == 1 ? cy : cy + 4 + h * (double)in_cat;
        if (rc == P20W_OK && first)
            rc = bar_label(b, bars[i].label, cy + cat_h / 2 + 4.5);
        if (rc == P20W_OK)
            rc = one_bar(b, c, &bars[i], max, y, h);
        in_cat++;
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</svg>\n");
    return rc;
}
