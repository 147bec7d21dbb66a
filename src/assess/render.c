/*
 * render.c — the views of an assessment as text into a string buffer:
 * HTML fragments for the web pages (heat map, strengths and challenges,
 * action plan, comparison, auto-evidence), CSV and JSON exports, and plain
 * text for the terminal.
 *
 * Pure: nothing here reads the store or the clock. Every piece of text a
 * team typed, and every rubric text, is HTML-escaped. A rating is always
 * shown as its number and its word ("3 Promising"), with a class for the
 * colour and a pattern, so colour is never the only carrier (WCAG 1.4.1).
 * The colours (assess_css) are the Okabe–Ito palette, safe for the common
 * colour-vision deficiencies, with text contrast of at least 4.5:1.
 *
 * CSV follows util/csv.c: RFC 4180 quoting, "\n" line ends, a header row.
 *
 * The HTML uses classes only (no style attributes: the server's CSP
 * forbids them); assess_css() is the matching style sheet.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assess/assessInt.h"

/* ---- escaping ---------------------------------------------------------- */

p20w_status assess_html_escape(sbuf *b, const char *s)
{
    return s != NULL ? sbuf_html_escape(b, s, strlen(s)) : P20W_OK;
}

/* Escaped text with line breaks kept as <br> (CR dropped). */
static p20w_status html_lines(sbuf *b, const char *s)
{
    p20w_status rc = P20W_OK;
    while (rc == P20W_OK && s != NULL && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        size_t keep = len > 0 && s[len - 1] == '\r' ? len - 1 : len;
        rc = sbuf_html_escape(b, s, keep);
        if (rc == P20W_OK && nl != NULL)
            rc = sbuf_puts(b, "<br>");
        s = nl ? nl + 1 : s + len;
    }
    return rc;
}

/* printf-like for our own markup; data always goes through escape. */
#define P(...)                                                                 \
    do {                                                                       \
        if (rc == P20W_OK)                                                     \
            rc = sbuf_printf(b, __VA_ARGS__);                                  \
    } while (0)
#define E(s)                                                                   \
    do {                                                                       \
        if (rc == P20W_OK)                                                     \
            rc = assess_html_escape(b, (s));                                   \
    } while (0)
#define EL(s)                                                                  \
    do {                                                                       \
        if (rc == P20W_OK)                                                     \
            rc = html_lines(b, (s));                                           \
    } while (0)

/* One rating as a badge: class for colour and pattern, number and word. */
static p20w_status badge(sbuf *b, const assess_rubric *r, int rating,
                         assess_lang l)
{
    p20w_status rc = P20W_OK;
    if (rating < 1 || rating > 4) {
        P("<span class=\"rating rating-0\">%s</span>", _("not rated"));
        return rc;
    }
    P("<span class=\"rating rating-%d\"><span class=\"rating-num\">%d</span> "
      "<span class=\"rating-word\">",
      rating, rating);
    E(assess_rubric_rating_name(r, rating, l));
    P("</span></span>");
    return rc;
}

/* ---- heat map ------------------------------------------------------------ */

static p20w_status heat_cell(sbuf *b, const assess_rubric *r,
                             const assessment *a, size_t k, assess_lang l)
{
    p20w_status rc = P20W_OK;
    int v = a->rating[k];
    P("<td class=\"hm hm-%d\" id=\"hm-%s\"><span class=\"hm-id\">%s</span> ",
      v >= 1 && v <= 4 ? v : 0, assess_sub_id(k), assess_sub_id(k));
    if (rc == P20W_OK)
        rc = badge(b, r, v, l);
    P("<span class=\"hm-title\">");
    E(assess_rubric_sub_title(r, k, l));
    P("</span></td>");
    return rc;
}

static p20w_status heat_overall(sbuf *b, const assess_rubric *r,
                                const assessment *a, int core, assess_lang l)
{
    p20w_status rc = P20W_OK;
    int v = a->overall[core - 1];
    P("<td class=\"hm hm-%d hm-overall\">", v);
    if (v > 0) {
        if (rc == P20W_OK)
            rc = badge(b, r, v, l);
    } else {
        double m = assess_core_mean(a, core);
        if (m > 0)
            P("<span class=\"hm-mean\">%s %.1f</span>",
              _("not rated; average of the sub-elements:"), m);
        else
            P("<span class=\"rating rating-0\">%s</span>", _("not rated"));
    }
    P("</td>");
    return rc;
}

p20w_status assess_html_heatmap(sbuf *b, const assess_rubric *r,
                                const assessment *a, assess_lang l)
{
    p20w_status rc = P20W_OK;
    P("<table class=\"heatmap\">\n<caption>%s</caption>\n<thead><tr>"
      "<th scope=\"col\">%s</th>",
      _("Ratings by core element and sub-element"), _("Core element"));
    for (char c = 'A'; c <= 'D'; c++)
        P("<th scope=\"col\">%c</th>", c);
    P("<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", _("Overall"));
    for (int core = 1; rc == P20W_OK && core <= ASSESS_NCORE; core++) {
        size_t first = assess_core_first(core), n = assess_core_count(core);
        P("<tr><th scope=\"row\"><span class=\"hm-id\">%d</span> ", core);
        E(assess_rubric_core_title(r, core, l));
        P("</th>");
        for (size_t k = first; rc == P20W_OK && k < first + 4; k++) {
            if (k < first + n)
                rc = heat_cell(b, r, a, k, l);
            else
                P("<td class=\"hm hm-none\"><span class=\"visually-hidden\">"
                  "%s</span></td>",
                  _("no sub-element"));
        }
        if (rc == P20W_OK)
            rc = heat_overall(b, r, a, core, l);
        P("</tr>\n");
    }
    P("</tbody>\n</table>\n<dl class=\"heatmap-legend\">\n");
    for (int v = 1; v <= 4; v++) {
        P("<dt>");
        if (rc == P20W_OK)
            rc = badge(b, r, v, l);
        P("</dt><dd>");
        E(assess_rubric_rating_meaning(r, v, l));
        P("</dd>\n");
    }
    P("<dt><span class=\"rating rating-0\">%s</span></dt><dd>%s</dd>\n</dl>\n",
      _("not rated"), _("No rating has been chosen yet."));
    return rc;
}

/* ---- strengths and challenges ---------------------------------------------
 */

static p20w_status rank_list(sbuf *b, const assess_rubric *r,
                             const assessment *a, const size_t *k, size_t n,
                             const char *none, assess_lang l)
{
    p20w_status rc = P20W_OK;
    if (n == 0) {
        P("<p>%s</p>\n", none);
        return rc;
    }
    P("<ul>\n");
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        P("<li><span class=\"hm-id\">%s</span> ", assess_sub_id(k[i]));
        if (rc == P20W_OK)
            rc = badge(b, r, a->rating[k[i]], l);
        P(" ");
        E(assess_rubric_sub_title(r, k[i], l));
        P("</li>\n");
    }
    P("</ul>\n");
    return rc;
}

p20w_status assess_html_strengths(sbuf *b, const assess_rubric *r,
                                  const assessment *a, assess_lang l)
{
    size_t s[3], c[3], ns, nc;
    assess_rank(a, 3, s, &ns, c, &nc);
    p20w_status rc = P20W_OK;
    P("<div class=\"strengths\">\n<section>\n<h3>%s</h3>\n",
      _("Top strengths"));
    if (rc == P20W_OK)
        rc = rank_list(b, r, a, s, ns, _("No sub-element is rated 3 or 4 yet."),
                       l);
    P("</section>\n<section>\n<h3>%s</h3>\n", _("Top challenges"));
    if (rc == P20W_OK)
        rc = rank_list(b, r, a, c, nc, _("No sub-element is rated 1 or 2 yet."),
                       l);
    P("</section>\n</div>\n");
    return rc;
}

/* ---- action plan -----------------------------------------------------------
 */

static const char *or_dash(const char *s)
{
    return s != NULL && s[0] ? s : "—";
}

static p20w_status plan_goal(sbuf *b, const assess_rubric *r,
                             const assess_goal *g, size_t i, assess_lang l)
{
    p20w_status rc = P20W_OK;
    const char *names[] = {N_("Specific"), N_("Measurable"), N_("Attainable"),
                           N_("Relevant"), N_("Time-bound")};
    const char *vals[] = {g->specific, g->measurable, g->attainable,
                          g->relevant, g->time_bound};
    P("<article class=\"goal\">\n<h4>%s %zu", _("Goal"), i + 1);
    int k = g->element[0] ? assess_sub_index(g->element) : -1;
    if (k >= 0) {
        P(" <span class=\"goal-element\">(%s ", assess_sub_id((size_t)k));
        E(assess_rubric_sub_title(r, (size_t)k, l));
        P(")</span>");
    }
    P("</h4>\n<dl class=\"smart\">\n");
    for (int j = 0; j < 5; j++) {
        P("<dt>%s</dt><dd>", _(names[j]));
        EL(or_dash(vals[j]));
        P("</dd>\n");
    }
    P("<dt>%s</dt><dd>", _("Owner"));
    E(or_dash(g->owner));
    P("</dd>\n<dt>%s</dt><dd>", _("Date"));
    E(or_dash(g->due_date));
    P("</dd>\n</dl>\n");
    if (g->nactivities == 0) {
        P("<p>%s</p>\n</article>\n", _("No activities yet."));
        return rc;
    }
    P("<table class=\"activities\">\n<caption>%s %zu</caption>\n<thead><tr>"
      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
      "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
      _("Activities of goal"), i + 1, _("Activity"), _("Primary owner"),
      _("Completion date"), _("Success metric"), _("Lever of change"));
    for (size_t j = 0; rc == P20W_OK && j < g->nactivities; j++) {
        const assess_activity *x = &g->activities[j];
        P("<tr><td>");
        EL(x->activity);
        P("</td><td>");
        E(or_dash(x->owner));
        P("</td><td>");
        E(or_dash(x->due_date));
        P("</td><td>");
        EL(or_dash(x->metric));
        P("</td><td>");
        E(assess_rubric_lever_name(r, x->lever, l));
        P("</td></tr>\n");
    }
    P("</tbody>\n</table>\n</article>\n");
    return rc;
}

p20w_status assess_html_plan(sbuf *b, const assess_rubric *r,
                             const assessment *a, assess_lang l)
{
    const assess_plan *p = &a->plan;
    p20w_status rc = P20W_OK;
    P("<div class=\"plan printable\">\n<section>\n<h3>%s</h3>\n<p>",
      _("Vision"));
    EL(p->vision[0] ? p->vision : _("No vision written yet."));
    P("</p>\n</section>\n<section>\n<h3>%s</h3>\n", _("Resources"));
    P("<table class=\"resources\">\n<thead><tr><th scope=\"col\">%s</th>"
      "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
      _("Kind of resource"), _("Available in the state"));
    for (int k = 0; rc == P20W_OK && k < ASSESS_NRESOURCE; k++) {
        P("<tr><th scope=\"row\">");
        E(assess_rubric_resource_name(r, k, l));
        P("</th><td>");
        EL(or_dash(p->resources[k]));
        P("</td></tr>\n");
    }
    P("</tbody>\n</table>\n</section>\n<section>\n<h3>%s</h3>\n",
      _("SMART goals"));
    if (p->ngoals == 0)
        P("<p>%s</p>\n", _("No goals yet."));
    for (size_t i = 0; rc == P20W_OK && i < p->ngoals; i++)
        rc = plan_goal(b, r, &p->goals[i], i, l);
    P("</section>\n</div>\n");
    return rc;
}

/* ---- comparison -----------------------------------------------------------
 */

static p20w_status change_cell(sbuf *b, int before, int after)
{
    p20w_status rc = P20W_OK;
    if (before == 0 || after == 0)
        P("<td class=\"change change-na\">%s</td>", _("not comparable"));
    else if (after > before)
        P("<td class=\"change change-up\">&#8593; %s %d</td>", _("up"),
          after - before);
    else if (after < before)
        P("<td class=\"change change-down\">&#8595; %s %d</td>", _("down"),
          before - after);
    else
        P("<td class=\"change change-same\">= %s</td>", _("same"));
    return rc;
}

p20w_status assess_html_compare(sbuf *b, const assess_rubric *r,
                                const assessment *before,
                                const assessment *after, assess_lang l)
{
    assess_diff d;
    assess_compare(before, after, &d);
    p20w_status rc = P20W_OK;
    P("<p class=\"compare-summary\">");
    P(_("%d sub-elements moved up, %d moved down, %d stayed the same, %d "
        "cannot be compared (not rated in both)."),
      d.up, d.down, d.same, d.unrated);
    P("</p>\n<table class=\"compare\">\n<caption>");
    E(before->title);
    P(" &#8594; ");
    E(after->title);
    P("</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">"
      "%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
      "</thead>\n<tbody>\n",
      _("Element"), _("Before"), _("After"), _("Change"));
    for (int core = 1; rc == P20W_OK && core <= ASSESS_NCORE; core++) {
        size_t first = assess_core_first(core), n = assess_core_count(core);
        for (size_t k = first; rc == P20W_OK && k < first + n; k++) {
            P("<tr><th scope=\"row\"><span class=\"hm-id\">%s</span> ",
              assess_sub_id(k));
            E(assess_rubric_sub_title(r, k, l));
            P("</th><td>");
            if (rc == P20W_OK)
                rc = badge(b, r, d.before[k], l);
            P("</td><td>");
            if (rc == P20W_OK)
                rc = badge(b, r, d.after[k], l);
            P("</td>");
            if (rc == P20W_OK)
                rc = change_cell(b, d.before[k], d.after[k]);
            P("</tr>\n");
        }
        P("<tr class=\"compare-core\"><th scope=\"row\">%s %d: ", _("Overall"),
          core);
        E(assess_rubric_core_title(r, core, l));
        P("</th><td>");
        if (rc == P20W_OK)
            rc = badge(b, r, d.overall_before[core - 1], l);
        P("</td><td>");
        if (rc == P20W_OK)
            rc = badge(b, r, d.overall_after[core - 1], l);
        P("</td>");
        if (rc == P20W_OK)
            rc = change_cell(b, d.overall_before[core - 1],
                             d.overall_after[core - 1]);
        P("</tr>\n");
    }
    P("</tbody>\n</table>\n");
    return rc;
}

/* ---- evidence
 * ---------------------------------------------------------------- */

static const char *fact_value(const assess_fact *f)
{
    if (!f->measured)
        return _("not measured");
    return f->value_msgid ? _(f->value) : f->value;
}

p20w_status assess_html_evidence(sbuf *b, const assess_rubric *r,
                                 const assess_evidence *ev, size_t n,
                                 assess_lang l)
{
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        const assess_evidence *e = &ev[i];
        P("<section class=\"evidence\" id=\"evidence-%s\">\n<h3>"
          "<span class=\"hm-id\">%s</span> ",
          assess_sub_id(e->sub), assess_sub_id(e->sub));
        E(assess_rubric_sub_title(r, e->sub, l));
        P("</h3>\n<dl class=\"facts\">\n");
        for (size_t j = 0; j < e->nfacts; j++) {
            const assess_fact *f = &e->facts[j];
            P("<dt>%s</dt><dd class=\"%s\" data-key=\"%s\">", _(f->label),
              f->measured ? "measured" : "not-measured", f->key);
            E(fact_value(f));
            P("</dd>\n");
        }
        P("</dl>\n<p class=\"suggested\">");
        if (e->measured) {
            P("%s ", _("Suggested rating:"));
            if (rc == P20W_OK)
                rc = badge(b, r, e->suggested, l);
            P(" &#8212; %s", _("the team may choose another."));
        } else {
            P("%s", _("Not measured: p20w has no stored fact for this "
                      "sub-element."));
        }
        P("</p>\n<p class=\"why\">");
        E(e->why != NULL ? _(e->why) : "");
        P("</p>\n</section>\n");
    }
    return rc;
}

/* ---- CSV
 * --------------------------------------------------------------------- */

static p20w_status csv_field(sbuf *b, const char *s, int last)
{
    p20w_status rc = P20W_OK;
    if (s == NULL)
        s = "";
    size_t len = strlen(s);
    /* Quoted as util/csv.c quotes (the reader the round trip uses): a
     * comma, quote or line break anywhere, space or tab at either end, or
     * a leading U+FEFF that would pass for a byte-order mark. */
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
                             s[len - 1] == '\t')) ||
                strncmp(s, "\xEF\xBB\xBF", 3) == 0;
    if (!quote) {
        rc = sbuf_puts(b, s);
    } else {
        rc = sbuf_putc(b, '"');
        for (const char *p = s; rc == P20W_OK && *p; p++)
            rc = *p == '"' ? sbuf_puts(b, "\"\"") : sbuf_putc(b, *p);
        if (rc == P20W_OK)
            rc = sbuf_putc(b, '"');
    }
    if (rc == P20W_OK)
        rc = sbuf_putc(b, last ? '\n' : ',');
    return rc;
}

static p20w_status csv_row(sbuf *b, const char *const *f, size_t n)
{
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < n; i++)
        rc = csv_field(b, f[i], i + 1 == n);
    return rc;
}

static void rating_text(int v, char out[4])
{
    if (v >= 1 && v <= 4)
        snprintf(out, 4, "%d", v);
    else
        out[0] = '\0';
}

p20w_status assess_csv_ratings(sbuf *b, const assess_rubric *r,
                               const assessment *a, assess_lang l)
{
    static const char *const head[] = {"element", "level",       "title",
                                       "rating",  "rating_name", "evidence"};
    p20w_status rc = csv_row(b, head, 6);
    for (int core = 1; rc == P20W_OK && core <= ASSESS_NCORE; core++) {
        size_t first = assess_core_first(core), n = assess_core_count(core);
        for (size_t k = first; rc == P20W_OK && k < first + n; k++) {
            char v[4];
            rating_text(a->rating[k], v);
            const char *f[] = {assess_sub_id(k),
                               "sub-element",
                               assess_rubric_sub_title(r, k, l),
                               v,
                               assess_rubric_rating_name(r, a->rating[k], l),
                               a->evidence[k]};
            rc = csv_row(b, f, 6);
        }
        char id[12], v[4];
        snprintf(id, sizeof id, "%d", core);
        rating_text(a->overall[core - 1], v);
        const char *f[] = {
            id,
            "core",
            assess_rubric_core_title(r, core, l),
            v,
            assess_rubric_rating_name(r, a->overall[core - 1], l),
            ""};
        if (rc == P20W_OK)
            rc = csv_row(b, f, 6);
    }
    return rc;
}

enum {
    PC_KIND,
    PC_GOAL,
    PC_ACTIVITY,
    PC_ELEMENT,
    PC_RESOURCE,
    PC_TEXT,
    PC_SPECIFIC,
    PC_MEASURABLE,
    PC_ATTAINABLE,
    PC_RELEVANT,
    PC_TIME_BOUND,
    PC_OWNER,
    PC_DUE,
    PC_METRIC,
    PC_LEVER,
    PC_N
};

p20w_status assess_csv_plan(sbuf *b, const assessment *a)
{
    static const char *const head[PC_N] = {
        "kind",       "goal",     "activity",   "element",        "resource",
        "text",       "specific", "measurable", "attainable",     "relevant",
        "time_bound", "owner",    "due_date",   "success_metric", "lever"};
    const assess_plan *p = &a->plan;
    const char *f[PC_N];
    p20w_status rc = csv_row(b, head, PC_N);
    memset(f, 0, sizeof f);
    f[PC_KIND] = "vision";
    f[PC_TEXT] = p->vision;
    if (rc == P20W_OK)
        rc = csv_row(b, f, PC_N);
    for (int k = 0; rc == P20W_OK && k < ASSESS_NRESOURCE; k++) {
        memset(f, 0, sizeof f);
        f[PC_KIND] = "resource";
        f[PC_RESOURCE] = assess_resource_id(k);
        f[PC_TEXT] = p->resources[k];
        rc = csv_row(b, f, PC_N);
    }
    for (size_t i = 0; rc == P20W_OK && i < p->ngoals; i++) {
        const assess_goal *g = &p->goals[i];
        char gi[24];
        snprintf(gi, sizeof gi, "%zu", i + 1);
        memset(f, 0, sizeof f);
        f[PC_KIND] = "goal";
        f[PC_GOAL] = gi;
        f[PC_ELEMENT] = g->element;
        f[PC_SPECIFIC] = g->specific;
        f[PC_MEASURABLE] = g->measurable;
        f[PC_ATTAINABLE] = g->attainable;
        f[PC_RELEVANT] = g->relevant;
        f[PC_TIME_BOUND] = g->time_bound;
        f[PC_OWNER] = g->owner;
        f[PC_DUE] = g->due_date;
        rc = csv_row(b, f, PC_N);
        for (size_t j = 0; rc == P20W_OK && j < g->nactivities; j++) {
            const assess_activity *x = &g->activities[j];
            char ai[24];
            snprintf(ai, sizeof ai, "%zu", j + 1);
            memset(f, 0, sizeof f);
            f[PC_KIND] = "activity";
            f[PC_GOAL] = gi;
            f[PC_ACTIVITY] = ai;
            f[PC_TEXT] = x->activity;
            f[PC_OWNER] = x->owner;
            f[PC_DUE] = x->due_date;
            f[PC_METRIC] = x->metric;
            f[PC_LEVER] = assess_lever_id(x->lever);
            rc = csv_row(b, f, PC_N);
        }
    }
    return rc;
}

static const char *change_word(int before, int after)
{
    if (before == 0 || after == 0)
        return "not comparable";
    return after > before ? "up" : after < before ? "down" : "same";
}

p20w_status assess_csv_compare(sbuf *b, const assessment *before,
                               const assessment *after)
{
    static const char *const head[] = {"element", "level", "before", "after",
                                       "change"};
    assess_diff d;
    assess_compare(before, after, &d);
    p20w_status rc = csv_row(b, head, 5);
    for (int core = 1; rc == P20W_OK && core <= ASSESS_NCORE; core++) {
        size_t first = assess_core_first(core), n = assess_core_count(core);
        for (size_t k = first; rc == P20W_OK && k < first + n; k++) {
            char x[4], y[4];
            rating_text(d.before[k], x);
            rating_text(d.after[k], y);
            const char *f[] = {assess_sub_id(k), "sub-element", x, y,
                               change_word(d.before[k], d.after[k])};
            rc = csv_row(b, f, 5);
        }
        char id[12], x[4], y[4];
        snprintf(id, sizeof id, "%d", core);
        rating_text(d.overall_before[core - 1], x);
        rating_text(d.overall_after[core - 1], y);
        const char *f[] = {
            id, "core", x, y,
            change_word(d.overall_before[core - 1], d.overall_after[core - 1])};
        if (rc == P20W_OK)
            rc = csv_row(b, f, 5);
    }
    return rc;
}

/* ---- JSON -------------------------------------------------------------------
 */

static json_t *jrating(int v)
{
    return v >= 1 && v <= 4 ? json_integer(v) : json_null();
}

static json_t *jstr(const char *s)
{
    return json_string(s != NULL ? s : "");
}

/* Adds to o; remembers a failure in *bad (jansson returns -1 on ENOMEM). */
static void jset(json_t *o, const char *k, json_t *v, int *bad)
{
    if (o == NULL || v == NULL || json_object_set_new(o, k, v) != 0)
        *bad = 1;
}

static void jpush(json_t *a, json_t *v, int *bad)
{
    if (a == NULL || v == NULL || json_array_append_new(a, v) != 0)
        *bad = 1;
}

static json_t *j_goal(const assess_goal *g, int *bad)
{
    json_t *o = json_object(), *acts = json_array();
    jset(o, "element", jstr(g->element), bad);
    jset(o, "specific", jstr(g->specific), bad);
    jset(o, "measurable", jstr(g->measurable), bad);
    jset(o, "attainable", jstr(g->attainable), bad);
    jset(o, "relevant", jstr(g->relevant), bad);
    jset(o, "time_bound", jstr(g->time_bound), bad);
    jset(o, "owner", jstr(g->owner), bad);
    jset(o, "due_date", jstr(g->due_date), bad);
    for (size_t j = 0; j < g->nactivities; j++) {
        const assess_activity *x = &g->activities[j];
        json_t *ao = json_object();
        jset(ao, "activity", jstr(x->activity), bad);
        jset(ao, "owner", jstr(x->owner), bad);
        jset(ao, "due_date", jstr(x->due_date), bad);
        jset(ao, "success_metric", jstr(x->metric), bad);
        jset(ao, "lever", jstr(assess_lever_id(x->lever)), bad);
        jpush(acts, ao, bad);
    }
    jset(o, "activities", acts, bad);
    return o;
}

static json_t *j_assessment(const assessment *a, int *bad)
{
    json_t *o = json_object(), *members = json_array(), *ratings = json_array();
    json_t *overall = json_array(), *plan = json_object();
    json_t *res = json_object(), *goals = json_array();
    jset(o, "format", json_string("p20w-assessment"), bad);
    jset(o, "version", json_integer(1), bad);
    jset(o, "id", json_integer(a->id), bad);
    jset(o, "title", jstr(a->title), bad);
    jset(o, "owner", jstr(a->owner), bad);
    jset(o, "status", jstr(a->status), bad);
    jset(o, "rubric_version", jstr(a->rubric_version), bad);
    jset(o, "created_at", jstr(a->created_at), bad);
    jset(o, "updated_at", jstr(a->updated_at), bad);
    for (size_t i = 0; i < a->nmembers; i++)
        jpush(members, jstr(a->members[i]), bad);
    jset(o, "members", members, bad);
    for (size_t k = 0; k < ASSESS_NSUB; k++) {
        json_t *e = json_object();
        jset(e, "element", json_string(assess_sub_id(k)), bad);
        jset(e, "rating", jrating(a->rating[k]), bad);
        jset(e, "evidence", jstr(a->evidence[k]), bad);
        jpush(ratings, e, bad);
    }
    jset(o, "ratings", ratings, bad);
    for (int c = 1; c <= ASSESS_NCORE; c++) {
        json_t *e = json_object();
        jset(e, "core", json_integer(c), bad);
        jset(e, "rating", jrating(a->overall[c - 1]), bad);
        jpush(overall, e, bad);
    }
    jset(o, "overall", overall, bad);
    jset(plan, "vision", jstr(a->plan.vision), bad);
    for (int k = 0; k < ASSESS_NRESOURCE; k++)
        jset(res, assess_resource_id(k), jstr(a->plan.resources[k]), bad);
    jset(plan, "resources", res, bad);
    for (size_t i = 0; i < a->plan.ngoals; i++)
        jpush(goals, j_goal(&a->plan.goals[i], bad), bad);
    jset(plan, "goals", goals, bad);
    jset(o, "plan", plan, bad);
    return o;
}

/* Dumps o into b and frees it. */
static p20w_status dump(sbuf *b, json_t *o, int bad)
{
    char *s = bad ? NULL : json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (s == NULL)
        return P20W_ENOMEM;
    p20w_status rc = sbuf_puts(b, s);
    if (rc == P20W_OK)
        rc = sbuf_putc(b, '\n');
    free(s);
    return rc;
}

p20w_status assess_json(sbuf *b, const assessment *a)
{
    int bad = 0;
    json_t *o = j_assessment(a, &bad);
    return dump(b, o, bad);
}

static json_t *j_change(int before, int after, int *bad)
{
    json_t *o = json_object();
    jset(o, "before", jrating(before), bad);
    jset(o, "after", jrating(after), bad);
    jset(o, "change", json_string(change_word(before, after)), bad);
    return o;
}

p20w_status assess_json_compare(sbuf *b, const assessment *before,
                                const assessment *after)
{
    int bad = 0;
    assess_diff d;
    assess_compare(before, after, &d);
    json_t *o = json_object(), *subs = json_array(), *cores = json_array();
    jset(o, "before", json_integer(before->id), &bad);
    jset(o, "after", json_integer(after->id), &bad);
    jset(o, "up", json_integer(d.up), &bad);
    jset(o, "down", json_integer(d.down), &bad);
    jset(o, "same", json_integer(d.same), &bad);
    jset(o, "not_comparable", json_integer(d.unrated), &bad);
    for (size_t k = 0; k < ASSESS_NSUB; k++) {
        json_t *e = j_change(d.before[k], d.after[k], &bad);
        jset(e, "element", json_string(assess_sub_id(k)), &bad);
        jpush(subs, e, &bad);
    }
    for (int c = 1; c <= ASSESS_NCORE; c++) {
        json_t *e =
            j_change(d.overall_before[c - 1], d.overall_after[c - 1], &bad);
        jset(e, "core", json_integer(c), &bad);
        jpush(cores, e, &bad);
    }
    jset(o, "sub_elements", subs, &bad);
    jset(o, "overall", cores, &bad);
    return dump(b, o, bad);
}

p20w_status assess_json_evidence(sbuf *b, const assess_evidence *ev, size_t n)
{
    int bad = 0;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const assess_evidence *e = &ev[i];
        json_t *o = json_object(), *facts = json_array();
        jset(o, "element", json_string(assess_sub_id(e->sub)), &bad);
        jset(o, "measured", json_boolean(e->measured), &bad);
        jset(o, "suggested", jrating(e->suggested), &bad);
        jset(o, "why", jstr(e->why), &bad);
        for (size_t j = 0; j < e->nfacts; j++) {
            const assess_fact *f = &e->facts[j];
            json_t *fo = json_object();
            jset(fo, "key", json_string(f->key), &bad);
            jset(fo, "label", json_string(f->label), &bad);
            jset(fo, "value", f->measured ? jstr(f->value) : json_null(), &bad);
            jpush(facts, fo, &bad);
        }
        jset(o, "facts", facts, &bad);
        jpush(arr, o, &bad);
    }
    return dump(b, arr, bad);
}

/* ---- text for the terminal
 * ---------------------------------------------------- */

p20w_status assess_text(sbuf *b, const assess_rubric *r, const assessment *a,
                        assess_lang l)
{
    p20w_status rc = P20W_OK;
    int rated = 0;
    for (size_t k = 0; k < ASSESS_NSUB; k++)
        rated += a->rating[k] > 0;
    P("assessment %lld: %s\nstatus %s, %d of %d sub-elements rated, owner %s, "
      "rubric %s\ncreated %s, updated %s\n",
      (long long)a->id, a->title, a->status, rated, ASSESS_NSUB, a->owner,
      a->rubric_version, a->created_at, a->updated_at);
    if (a->nmembers > 0) {
        P("team:");
        for (size_t i = 0; i < a->nmembers; i++)
            P(" %s", a->members[i]);
        P("\n");
    }
    for (int core = 1; rc == P20W_OK && core <= ASSESS_NCORE; core++) {
        size_t first = assess_core_first(core), n = assess_core_count(core);
        int ov = a->overall[core - 1];
        P("\n%d  %s\n", core, assess_rubric_core_title(r, core, l));
        if (ov)
            P("   overall %d %s\n", ov, assess_rubric_rating_name(r, ov, l));
        else
            P("   overall not rated\n");
        for (size_t k = first; rc == P20W_OK && k < first + n; k++) {
            int v = a->rating[k];
            if (v)
                P("   %s  %d %-12s %s\n", assess_sub_id(k), v,
                  assess_rubric_rating_name(r, v, l),
                  assess_rubric_sub_title(r, k, l));
            else
                P("   %s  - %-12s %s\n", assess_sub_id(k), "not rated",
                  assess_rubric_sub_title(r, k, l));
        }
    }
    P("\nplan: %zu goals; vision %s\n", a->plan.ngoals,
      a->plan.vision[0] ? "written" : "not written yet");
    return rc;
}

/* ---- style sheet
 * -------------------------------------------------------------- */

const char *assess_css(void)
{
    return ".rating{display:inline-block;padding:0 .3em;border:1px solid "
           "#000;border-radius:.2em;color:#000;background:#fff}\n"
           ".rating-num{font-weight:bold}\n"
           ".rating-0{border-style:dashed;color:#333}\n"
           /* Okabe–Ito: vermillion, orange, sky blue, blue; a pattern
            * per rating so that print and colour-blind readers see it. */
           ".hm-1,.rating-1{background-color:#d55e00;background-image:"
           "repeating-linear-gradient(45deg,rgba(255,255,255,.45) 0 2px,"
           "transparent 2px 7px);color:#000}\n"
           ".hm-2,.rating-2{background-color:#e69f00;background-image:"
           "radial-gradient(rgba(255,255,255,.55) 1.2px,transparent 1.4px);"
           "background-size:6px 6px;color:#000}\n"
           ".hm-3,.rating-3{background-color:#56b4e9;background-image:"
           "repeating-linear-gradient(0deg,rgba(255,255,255,.45) 0 1px,"
           "transparent 1px 6px);color:#000}\n"
           ".hm-4,.rating-4{background-color:#0072b2;color:#fff}\n"
           ".hm .rating{background:#fff;color:#000}\n"
           ".heatmap{border-collapse:collapse}\n"
           ".heatmap th,.heatmap td{border:1px solid #000;padding:.4em;"
           "vertical-align:top}\n"
           ".hm-0{background:#fff}\n.hm-none{background:#eee}\n"
           ".hm-title{display:block;font-size:.85em;max-width:16em}\n"
           ".hm-id{font-weight:bold}\n"
           ".change-up{font-weight:bold}\n"
           ".visually-hidden{position:absolute;width:1px;height:1px;"
           "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
           ".subnav ul{list-style:none;padding:0;display:flex;flex-wrap:"
           "wrap;gap:.25rem 1rem}\n"
           "fieldset.sub{margin:1rem 0;padding:.5rem 1rem}\n"
           "fieldset.choices{border:0;padding:0;margin:.5rem 0}\n"
           "fieldset.choices label{margin-right:1rem}\n"
           ".measured{border-left:4px solid #0072b2;padding:.25rem 1rem;"
           "margin:.5rem 0}\n"
           "@media print{.no-print{display:none}"
           ".rating,.hm{print-color-adjust:exact;"
           "-webkit-print-color-adjust:exact}}\n";
}
