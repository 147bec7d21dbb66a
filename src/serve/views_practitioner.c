/*
 * views_practitioner.c — what a practitioner sees of their scope: the
 * cube's cells of a school, district or institution unmasked (no
 * suppression), the list of the unit's learners, and one learner's
 * education records.
 *
 * Every page asks access_check first, with the unit (and a school's
 * district) as the resource's scopes, so only a practitioner whose scope
 * holds the unit gets through; everyone else, signed in or not, gets the
 * 403 page and an audit record. cube_cells is read nowhere else in the
 * web server: the public pages read published cells only.
 *
 * Learners are never named in a URL. The list links each learner by an
 * opaque handle valid in the viewer's session only (serve/auth.h); the
 * lookup by an agency's student id is a POST. A lookup that matches no
 * learner is refused exactly like a learner outside the scope (the same
 * check, with no unit), so the form does not tell whether an id exists
 * elsewhere in the state. Every look at a list or a record is an
 * allowed learner-level read, which access_check audits. Wages are never
 * shown for one person: the record holds education rows only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure.h"
#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/labels.h"
#include "serve/pages.h"
#include "util/log.h"

#define MAX_CELLS 2000
#define PAGE_ROWS 200

/* The unit a page is about: ?kind=&id=, else the user's first scope. */
typedef struct unit {
    access_scope_kind kind;
    char id[ACCESS_ID_MAX + 1];
    char district[ACCESS_ID_MAX + 1]; /* a school's district, or "" */
    int set;
} unit;

static const char *kind_param(access_scope_kind k)
{
    return access_scope_kind_name(k);
}

static const char *kind_msgid(access_scope_kind k)
{
    switch (k) {
    case ACCESS_SCOPE_SCHOOL:
        return N_("school");
    case ACCESS_SCOPE_DISTRICT:
        return N_("district");
    default:
        return N_("institution");
    }
}

/* The district of a school, from the live school list ("" if none). */
static p20w_status school_district(store *st, const char *school, char *out,
                                   size_t cap, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    out[0] = '\0';
    p20w_status rc = store_prepare(
        st,
        "SELECT sc.district_id FROM stg_k12_schools sc JOIN submissions s "
        "ON s.submission_id = sc.submission_id WHERE s.status = 'accepted' "
        "AND sc.school_id = ? ORDER BY sc.submission_id DESC LIMIT 1",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, school, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row)
        snprintf(out, cap, "%s", store_column_text(q, 0));
    store_finalize(q);
    return rc;
}

/* Reads the unit of the request and the resource that covers it. */
static p20w_status get_unit(serve_req *r, unit *u, access_resource *res,
                            p20w_err *err)
{
    const access_principal *p = serve_auth_who(r);
    const char *kind = serve_req_query(r, "kind");
    const char *id = serve_req_query(r, "id");
    memset(u, 0, sizeof *u);
    if (kind != NULL && id != NULL) {
        u->kind = strcmp(kind, "school") == 0     ? ACCESS_SCOPE_SCHOOL
                  : strcmp(kind, "district") == 0 ? ACCESS_SCOPE_DISTRICT
                                                  : ACCESS_SCOPE_INSTITUTION;
        snprintf(u->id, sizeof u->id, "%s", id);
        u->set = 1;
    } else if (p->nscopes > 0) {
        u->kind = p->scopes[0].kind;
        snprintf(u->id, sizeof u->id, "%s", p->scopes[0].id);
        u->set = 1;
    }
    if (!u->set)
        return P20W_OK; /* res has no scope: denied for everyone */
    p20w_status rc = access_resource_add_scope(res, u->kind, u->id, err);
    if (rc == P20W_OK && u->kind == ACCESS_SCOPE_SCHOOL) {
        store *st = NULL;
        rc = serve_req_store(r, &st, err);
        if (rc == P20W_OK)
            rc = school_district(st, u->id, u->district, sizeof u->district,
                                 err);
        if (rc == P20W_OK && u->district[0] != '\0')
            rc = access_resource_add_scope(res, ACCESS_SCOPE_DISTRICT,
                                           u->district, err);
    }
    return rc;
}

/* The unit-choosing form (GET): the user's own scopes, or any id. */
static p20w_status unit_form(serve_req *r, sbuf *b, const char *action,
                             const unit *u)
{
    const access_principal *p = serve_auth_who(r);
    p20w_status rc =
        sbuf_printf(b, "<form method=\"get\" action=\"%s\">\n", action);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<input type=\"hidden\" name=\"lang\" "
                         "value=\"%s\">\n<p><label for=\"kind\">%s</label> "
                         "<select id=\"kind\" name=\"kind\">\n",
                         r->lang, _("Unit"));
    for (int k = 0; rc == P20W_OK && k < ACCESS_SCOPE_KIND_COUNT; k++)
        rc = sbuf_printf(b, "<option value=\"%s\"%s>%s</option>\n",
                         kind_param((access_scope_kind)k),
                         u->set && (int)u->kind == k ? " selected" : "",
                         _(kind_msgid((access_scope_kind)k)));
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "</select>\n<label for=\"id\">%s</label> <input "
                         "id=\"id\" name=\"id\" type=\"text\" "
                         "maxlength=\"64\" list=\"my-units\" value=\"",
                         _("Id"));
    if (rc == P20W_OK && u->set)
        rc = serve_html_text(b, u->id);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "\">\n<datalist id=\"my-units\">\n");
    for (size_t i = 0; rc == P20W_OK && i < p->nscopes; i++) {
        rc = sbuf_puts(b, "<option value=\"");
        if (rc == P20W_OK)
            rc = serve_html_text(b, p->scopes[i].id);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "\">");
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "</datalist>\n<button type=\"submit\">%s</button>"
                         "</p>\n</form>\n",
                         _("Show"));
    return rc;
}

static p20w_status unit_heading(sbuf *b, const unit *u)
{
    p20w_status rc = sbuf_printf(b, "<h2>%s ", _(kind_msgid(u->kind)));
    if (rc == P20W_OK)
        rc = serve_html_text(b, u->id);
    if (rc == P20W_OK && u->district[0] != '\0') {
        rc = sbuf_printf(b, " (%s ", _("district"));
        if (rc == P20W_OK)
            rc = serve_html_text(b, u->district);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, ")");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</h2>\n");
    return rc;
}

/* ---- aggregates ------------------------------------------------------------
 */

static const char *status_msgid(const char *s)
{
    if (s == NULL || s[0] == '\0')
        return N_("not published");
    switch (s[0]) {
    case 'P':
        return N_("published");
    case 'S':
        return N_("hidden (small group)");
    case 'C':
        return N_("hidden (protects another cell)");
    case 'B':
        return N_("published as a range");
    case 'L':
        return N_("published pooled over years");
    case 'N':
        return N_("published with noise");
    default:
        return N_("not published");
    }
}

/* 1 when dims_key ("school=X;sex=F") has component "<dim>=<id>"; sets
 * *rest to the other components (for the breakdown column). */
static int key_has(const char *key, const char *dim, const char *id, char *rest,
                   size_t cap)
{
    size_t dl = strlen(dim), il = strlen(id), n = 0;
    int found = 0;
    rest[0] = '\0';
    const char *p = key;
    while (*p != '\0') {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == dl + 1 + il && memcmp(p, dim, dl) == 0 && p[dl] == '=' &&
            memcmp(p + dl + 1, id, il) == 0) {
            found = 1;
        } else if (n + len + 2 < cap) {
            if (n > 0)
                rest[n++] = ';';
            memcpy(rest + n, p, len);
            n += len;
            rest[n] = '\0';
        }
        p += len;
        if (*p == ';')
            p++;
    }
    return found;
}

/* '%;school=ID;%' with LIKE's wildcards in the id escaped by '\'. */
static void like_pattern(const char *dim, const char *id, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%%;%s=", dim);
    for (const char *c = id; *c && n + 4 < cap; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            out[n++] = '\\';
        out[n++] = *c;
    }
    if (n + 3 < cap) {
        out[n++] = ';';
        out[n++] = '%';
    }
    out[n < cap ? n : cap - 1] = '\0';
}

static void num(const serve_req *r, store_stmt *q, int col, int decimals,
                char *buf, size_t cap)
{
    if (store_column_is_null(q, col))
        snprintf(buf, cap, "–");
    else
        serve_fmt_number(r->lang, store_column_double(q, col), decimals, buf,
                         cap);
}

/* A cell's value as the public pages write it: a rate or a share as a
 * percent ("85.3%"), pay in whole dollars ("$35,657"), a count as a
 * whole number. stat: enum measure_stat, -1 for an unknown indicator. */
static void value_text(const serve_req *r, store_stmt *q, int col, int stat,
                       char *buf, size_t cap)
{
    char n[32];
    if (store_column_is_null(q, col)) {
        snprintf(buf, cap, "–");
        return;
    }
    double v = store_column_double(q, col);
    switch (stat) {
    case MS_RATE:
    case MS_SHARE:
    case MS_FLAG:
        serve_fmt_number(r->lang, v * 100, 1, n, sizeof n);
        snprintf(buf, cap, "%s%%", n);
        break;
    case MS_PERCENTILE:
        serve_fmt_money(r->lang, v, buf, cap);
        break;
    case MS_COUNT:
        serve_fmt_number(r->lang, v, 0, buf, cap);
        break;
    default:
        serve_fmt_number(r->lang, v, 3, buf, cap);
        break;
    }
}

/* The indicator's title in the page's language, its code beside it
 * ("Employed in the 2nd quarter after exit (EMP_Q2)"); an indicator the
 * catalog does not know shows as its code. */
static p20w_status indicator_cell(const serve_req *r, sbuf *b,
                                  const measure_indicator *mi, const char *id)
{
    p20w_status rc = sbuf_puts(b, "<td>");
    if (rc == P20W_OK && mi != NULL) {
        rc = serve_html_text(b, serve_ind_title(r, mi));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, " <code>");
    }
    if (rc == P20W_OK)
        rc = serve_html_text(b, id);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, mi != NULL ? "</code></td>" : "</td>");
    return rc;
}

/* The breakdown of a cell ("sex=F;race=HI", the unit's own part left
 * out) as people read it: "Sex: Female; Race and ethnicity: Hispanic or
 * Latino", in the page's language. An indicator's categories are the
 * measure's English names ("Not found in state records"), marked so. */
static p20w_status breakdown_cell(sbuf *b, const char *rest)
{
    if (rest[0] == '\0')
        return sbuf_printf(b, "<td>%s</td>", _("all"));
    p20w_status rc = sbuf_puts(b, "<td>");
    const char *p = rest;
    while (rc == P20W_OK && *p != '\0') {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char part[256], buf[128];
        snprintf(part, sizeof part, "%.*s", (int)len, p);
        char *eq = strchr(part, '=');
        if (p != rest)
            rc = sbuf_puts(b, "; ");
        int dim = -1;
        if (eq != NULL) {
            *eq = '\0';
            dim = measure_dim_find(part);
        }
        if (rc == P20W_OK && dim >= 0) {
            rc = sbuf_printf(b, "%s: ", serve_dim_title(dim));
            if (rc == P20W_OK)
                rc = serve_html_text(
                    b, serve_value_label(NULL, dim, eq + 1, buf, sizeof buf));
        } else if (rc == P20W_OK && eq != NULL &&
                   strcmp(part, "category") == 0) {
            rc = sbuf_printf(b, "%s: <span lang=\"en\">", _("Category"));
            if (rc == P20W_OK)
                rc = serve_html_text(b, eq + 1);
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</span>");
        } else if (rc == P20W_OK) {
            if (eq != NULL)
                *eq = '=';
            rc = serve_html_text(b, part);
        }
        p += len;
        if (*p == ';')
            p++;
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</td>");
    return rc;
}

/* What the public page shows, as disclose/ labels it: a number or a band
 * ("12.3%", "≤5%"), or English words ("fewer than 10", "suppressed"),
 * which are marked as English. */
static p20w_status published_label(sbuf *b, const char *label)
{
    int words = 0;
    for (const char *c = label; *c != '\0' && !words; c++)
        words = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
    if (!words)
        return serve_html_text(b, label);
    p20w_status rc = sbuf_puts(b, "<span lang=\"en\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, label);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</span>");
    return rc;
}

static p20w_status cells_table(serve_req *r, sbuf *b, store *st, const unit *u,
                               p20w_err *err)
{
    const char *dim = kind_param(u->kind);
    const char *ind = serve_req_query(r, "indicator");
    const char *year = serve_req_query(r, "year");
    char pat[200], dims_pat[64], rest[256], buf[5][48];
    like_pattern(dim, u->id, pat, sizeof pat);
    snprintf(dims_pat, sizeof dims_pat, "%%,%s,%%", dim);
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st,
        "SELECT c.indicator, c.year, c.dims_key, c.n, c.numerator, "
        "c.denominator, c.value, c.median, p.status, p.label FROM cube_cells "
        "c LEFT JOIN published_cells p ON p.cell_id = c.cell_id WHERE "
        "c.profile = ? AND (',' || c.dims || ',') LIKE ? AND (';' || "
        "c.dims_key || ';') LIKE ? ESCAPE '\\' AND (? IS NULL OR c.indicator "
        "= ?) AND (? IS NULL OR c.year = ?) ORDER BY c.indicator, c.year, "
        "c.dims, c.dims_key",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, serve_app_profile(r->app), (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, dims_pat, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, pat, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 4, ind, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 5, ind, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 6, year, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 7, year, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
            "aria-labelledby=\"cells-caption\">\n<table class=\"cells\">\n"
            "<caption id=\"cells-caption\">%s</caption>\n<thead><tr>"
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            _("Every cell of the unit, not suppressed"), _("Indicator"),
            _("Year"), _("Breakdown"), _("Learners"), _("Numerator"),
            _("Denominator"), _("Value"), _("Median"), _("Public page"));
    size_t shown = 0, more = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (!key_has(store_column_text(q, 2), dim, u->id, rest, sizeof rest))
            continue; /* LIKE ignores case; ids do not */
        if (shown >= MAX_CELLS) {
            more++;
            continue;
        }
        shown++;
        const measure_indicator *mi = measure_find(store_column_text(q, 0));
        int stat = mi != NULL ? mi->stat : -1;
        num(r, q, 3, 0, buf[0], sizeof buf[0]);
        num(r, q, 4, 0, buf[1], sizeof buf[1]);
        num(r, q, 5, 0, buf[2], sizeof buf[2]);
        value_text(r, q, 6, stat, buf[3], sizeof buf[3]);
        value_text(r, q, 7, MS_PERCENTILE, buf[4], sizeof buf[4]);
        rc = sbuf_puts(b, "<tr>");
        if (rc == P20W_OK)
            rc = indicator_cell(r, b, mi, store_column_text(q, 0));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", store_column_text(q, 1));
        if (rc == P20W_OK)
            rc = breakdown_cell(b, rest);
        for (int i = 0; rc == P20W_OK && i < 5; i++)
            rc = serve_auth_cell(b, "td", buf[i]);
        if (rc == P20W_OK) {
            const char *st_ =
                store_column_is_null(q, 8) ? NULL : store_column_text(q, 8);
            rc = sbuf_printf(b, "<td>%s", _(status_msgid(st_)));
            if (rc == P20W_OK && !store_column_is_null(q, 9) &&
                store_column_text(q, 9)[0] != '\0') {
                rc = sbuf_puts(b, ": ");
                if (rc == P20W_OK)
                    rc = published_label(b, store_column_text(q, 9));
            }
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</td>");
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n</div>\n");
    if (rc == P20W_OK && shown == 0)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("The cube has no cell for this unit (with these "
                           "filters)."));
    if (rc == P20W_OK && more > 0)
        rc = sbuf_printf(b, "<p>%s %zu</p>\n",
                         _("More cells than one page shows; choose an "
                           "indicator or a year. Cells not shown:"),
                         more);
    return rc;
}

static p20w_status aggregates_page(serve_req *r, serve_resp *out)
{
    unit u;
    access_resource res;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_AGGREGATE);
    res.detail = "web: unmasked cells";
    p20w_status rc = get_unit(r, &u, &res, &err);
    if (rc == P20W_OK)
        rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    store *st = NULL;
    sbuf *b = serve_resp_body(out);
    rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("Outcomes of my units"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<p>%s</p>\n",
            _("These numbers are not suppressed: small groups are shown as "
              "they are. They are for your work with these learners; do "
              "not publish them. The last column says what the public page "
              "shows of each cell."));
    if (rc == P20W_OK)
        rc = unit_form(r, b, "/me/aggregates", &u);
    if (rc == P20W_OK)
        rc = unit_heading(b, &u);
    if (rc == P20W_OK)
        rc = cells_table(r, b, st, &u, &err);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: aggregates: %s", err.msg);
    return rc;
}

/* ---- the list of learners ---------------------------------------------------
 */

/* Learners of a school (K-12 rows there), of a district (of its schools)
 * or of an institution (enrolment rows there), with their agency id and
 * last year or term; one row per learner and agency id. */
static const char *const roster_sql[ACCESS_SCOPE_KIND_COUNT] = {
    "SELECT l.p20w_id, t.student_id, max(t.school_year), t.school_id FROM "
    "stg_k12_students t JOIN submissions s ON s.submission_id = "
    "t.submission_id JOIN person_links l ON l.source = 'k12_students' AND "
    "l.record_key = t.student_id WHERE s.status = 'accepted' AND "
    "t.school_id = ? GROUP BY l.p20w_id, t.student_id, t.school_id ORDER BY "
    "t.student_id LIMIT ? OFFSET ?",
    "SELECT l.p20w_id, t.student_id, max(t.school_year), t.school_id FROM "
    "stg_k12_students t JOIN submissions s ON s.submission_id = "
    "t.submission_id JOIN person_links l ON l.source = 'k12_students' AND "
    "l.record_key = t.student_id WHERE s.status = 'accepted' AND "
    "t.school_id IN (SELECT sc.school_id FROM stg_k12_schools sc JOIN "
    "submissions ss ON ss.submission_id = sc.submission_id WHERE ss.status "
    "= 'accepted' AND sc.district_id = ?) GROUP BY l.p20w_id, t.student_id, "
    "t.school_id ORDER BY t.student_id LIMIT ? OFFSET ?",
    "SELECT l.p20w_id, t.ps_student_id, max(t.term), t.institution_id FROM "
    "stg_ps_enrollments t JOIN submissions s ON s.submission_id = "
    "t.submission_id JOIN person_links l ON l.source = 'ps_enrollments' AND "
    "l.record_key = t.record_key WHERE s.status = 'accepted' AND "
    "t.institution_id = ? GROUP BY l.p20w_id, t.ps_student_id, "
    "t.institution_id ORDER BY t.ps_student_id LIMIT ? OFFSET ?",
};

static p20w_status lookup_form(serve_req *r, sbuf *b)
{
    p20w_status rc =
        sbuf_printf(b, "<h2>%s</h2>\n<p>%s</p>\n", _("Find a learner"),
                    _("By the school's student id, or by the "
                      "institution and its student id."));
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/me/learner");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<p><label for=\"student_id\">%s</label> <input "
            "id=\"student_id\" name=\"student_id\" type=\"text\" "
            "maxlength=\"64\" autocomplete=\"off\"></p>\n<p><label "
            "for=\"institution_id\">%s</label> <input id=\"institution_id\" "
            "name=\"institution_id\" type=\"text\" maxlength=\"64\"> <label "
            "for=\"ps_student_id\">%s</label> <input id=\"ps_student_id\" "
            "name=\"ps_student_id\" type=\"text\" maxlength=\"64\" "
            "autocomplete=\"off\"></p>\n<p><button type=\"submit\">%s"
            "</button></p>\n</form>\n",
            _("K-12 student id"), _("Institution"), _("Student id there"),
            _("Show the record"));
    return rc;
}

static p20w_status roster_table(serve_req *r, sbuf *b, store *st, const unit *u,
                                int64_t page, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(st, roster_sql[u->kind], &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, u->id, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, PAGE_ROWS + 1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 3, page * PAGE_ROWS, err);
    int ps = u->kind == ACCESS_SCOPE_INSTITUTION;
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<table class=\"learners\">\n<caption>%s</caption>\n<thead><tr>"
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
            "<tbody>\n",
            _("Learners of the unit"), _("Student id"),
            ps ? _("Last term") : _("Last school year"),
            ps ? _("Institution") : _("School"), _("Records"));
    size_t n = 0;
    int more = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (n == PAGE_ROWS) {
            more = 1;
            break;
        }
        n++;
        char h[SERVE_HANDLE_LEN + 1], path[16 + SERVE_HANDLE_LEN];
        serve_auth_learner_handle(r, store_column_int64(q, 0), h);
        snprintf(path, sizeof path, "/me/learner/%s", h);
        rc = sbuf_puts(b, "<tr>");
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "<th scope=\"row\">");
        if (rc == P20W_OK)
            rc = serve_html_text(b, store_column_text(q, 1));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</th>");
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", store_column_text(q, 2));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", store_column_text(q, 3));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "<td><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, path, NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a></td></tr>\n", _("Records"));
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    if (rc == P20W_OK && n == 0)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("No learner of this unit in the live "
                           "submissions."));
    if (rc == P20W_OK && (more || page > 0)) {
        char pg[24];
        const char *kind = kind_param(u->kind);
        rc = sbuf_puts(b, "<nav class=\"pages\"><p>");
        if (rc == P20W_OK && page > 0) {
            snprintf(pg, sizeof pg, "%" PRId64, page - 1);
            serve_kv kv[3] = {{"kind", kind}, {"id", u->id}, {"page", pg}};
            rc = sbuf_puts(b, "<a href=\"");
            if (rc == P20W_OK)
                rc = serve_html_href(b, "/me/learners", kv, 3, r->lang);
            if (rc == P20W_OK)
                rc = sbuf_printf(b, "\">%s</a> ", _("Previous page"));
        }
        if (rc == P20W_OK && more) {
            snprintf(pg, sizeof pg, "%" PRId64, page + 1);
            serve_kv kv[3] = {{"kind", kind}, {"id", u->id}, {"page", pg}};
            rc = sbuf_puts(b, "<a href=\"");
            if (rc == P20W_OK)
                rc = serve_html_href(b, "/me/learners", kv, 3, r->lang);
            if (rc == P20W_OK)
                rc = sbuf_printf(b, "\">%s</a>", _("Next page"));
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</p></nav>\n");
    }
    return rc;
}

static p20w_status learners_page(serve_req *r, serve_resp *out)
{
    unit u;
    access_resource res;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_LEARNER_EDU);
    res.detail = "web: list of the unit's learners";
    p20w_status rc = get_unit(r, &u, &res, &err);
    if (rc == P20W_OK)
        rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    const char *pg = serve_req_query(r, "page");
    int64_t page = 0;
    if (pg != NULL)
        page = strtoll(pg, NULL, 10); /* the router checked 0..1e9 */
    store *st = NULL;
    sbuf *b = serve_resp_body(out);
    rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("My learners"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Each look at this list and at a learner's "
                           "record is written to the audit log."));
    if (rc == P20W_OK)
        rc = unit_form(r, b, "/me/learners", &u);
    if (rc == P20W_OK)
        rc = unit_heading(b, &u);
    if (rc == P20W_OK)
        rc = roster_table(r, b, st, &u, page, &err);
    if (rc == P20W_OK)
        rc = lookup_form(r, b);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: learners: %s", err.msg);
    return rc;
}

/* ---- one learner ----------------------------------------------------------
 */

#define K12_IDS                                                                \
    "t.student_id IN (SELECT record_key FROM person_links WHERE source = "     \
    "'k12_students' AND p20w_id = ?)"
#define PS_IDS                                                                 \
    "(t.institution_id || '/' || t.ps_student_id) IN (SELECT record_key "      \
    "FROM person_links WHERE source = 'ps_enrollments' AND p20w_id = ?)"
#define LIVE                                                                   \
    " JOIN submissions s ON s.submission_id = t.submission_id WHERE "          \
    "s.status = 'accepted' AND "

typedef struct section {
    const char *title; /* msgid */
    const char *sql;   /* one parameter: the p20w_id */
    int ncols;
    const char *cols[8]; /* msgids */
    unsigned flags;      /* bit i: column i is a yes/no flag (0/1) */
} section;

/* Education records only: never a wage, an employer or an
 * apprenticeship's pay. */
static const section sections[] = {
    {N_("Student ids"),
     "SELECT source, record_key FROM person_links WHERE p20w_id = ? AND "
     "source IN ('k12_students', 'ps_enrollments') ORDER BY 1, 2",
     2,
     {N_("Records of"), N_("Id")},
     0},
    {N_("K-12 enrolment"),
     "SELECT t.school_year, t.school_id, t.grade_level, t.days_enrolled, "
     "t.days_absent, t.english_learner, t.disability FROM stg_k12_students "
     "t" LIVE K12_IDS " ORDER BY 1, 2",
     7,
     {N_("School year"), N_("School"), N_("Grade"), N_("Days enrolled"),
      N_("Days absent"), N_("English learner"), N_("Disability")},
     1u << 5 | 1u << 6},
    {N_("Assessments"),
     "SELECT t.school_year, t.subject, t.proficient FROM stg_k12_assessments "
     "t" LIVE K12_IDS " ORDER BY 1, 2",
     3,
     {N_("School year"), N_("Subject"), N_("Proficient")},
     1u << 2},
    {N_("Career and technical courses"),
     "SELECT t.school_year, t.school_id, t.sced_code, t.program_of_study, "
     "t.credits, t.completed FROM stg_k12_cte_courses t" LIVE K12_IDS
     " ORDER BY 1, 3",
     6,
     {N_("School year"), N_("School"), N_("Course code"), N_("Program"),
      N_("Credits"), N_("Completed")},
     1u << 5},
    {N_("Work-based learning"),
     "SELECT t.school_year, t.wbl_type, t.hours, t.completed FROM "
     "stg_k12_wbl t" LIVE K12_IDS " ORDER BY 1, 2",
     4,
     {N_("School year"), N_("Type"), N_("Hours"), N_("Completed")},
     1u << 3},
    {N_("Credentials"),
     "SELECT t.earned_date, t.credential_code FROM stg_k12_credentials t" LIVE
         K12_IDS " ORDER BY 1, 2",
     2,
     {N_("Earned"), N_("Credential")},
     0},
    {N_("Leaving school"),
     "SELECT t.exit_date, t.school_id, t.exit_type, t.cohort_year FROM "
     "stg_k12_exits t" LIVE K12_IDS " ORDER BY 1",
     4,
     {N_("Date"), N_("School"), N_("Exit"), N_("Cohort")},
     0},
    {N_("College enrolment"),
     "SELECT t.term, t.institution_id, t.award_level_sought, t.cip_code, "
     "t.credits_attempted, t.credits_earned FROM stg_ps_enrollments t" LIVE
         PS_IDS " ORDER BY 1, 2",
     6,
     {N_("Term"), N_("Institution"), N_("Award sought"), N_("Program (CIP)"),
      N_("Credits attempted"), N_("Credits earned")},
     0},
    {N_("College awards"),
     "SELECT t.award_date, t.institution_id, t.award_level, t.cip_code FROM "
     "stg_ps_completions t" LIVE PS_IDS " ORDER BY 1",
     4,
     {N_("Date"), N_("Institution"), N_("Award"), N_("Program (CIP)")},
     0},
};

static p20w_status section_table(sbuf *b, store *st, const section *s,
                                 int64_t id, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(st, s->sql, &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2>%s</h2>\n", _(s->title));
    size_t n = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (n++ == 0) {
            rc = sbuf_puts(b, "<table>\n<thead><tr>");
            for (int i = 0; rc == P20W_OK && i < s->ncols; i++)
                rc = sbuf_printf(b, "<th scope=\"col\">%s</th>", _(s->cols[i]));
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</tr></thead>\n<tbody>\n");
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "<tr>");
        for (int i = 0; rc == P20W_OK && i < s->ncols; i++) {
            const char *v =
                store_column_is_null(q, i) ? "" : store_column_text(q, i);
            rc = serve_auth_cell(b, "td",
                                 (s->flags >> i) & 1u ? serve_fmt_flag(v) : v);
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = n ? sbuf_puts(b, "</tbody>\n</table>\n")
               : sbuf_printf(b, "<p>%s</p>\n", _("None."));
    return rc;
}

/* Checks and shows learner p20w_id (0: a lookup that matched nobody,
 * refused by the same check as a learner outside the scope). */
static p20w_status learner_record(serve_req *r, serve_resp *out, int64_t id,
                                  const char *how)
{
    access_resource res;
    access_ctx *ax = NULL;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_LEARNER_EDU);
    res.detail = how;
    p20w_status rc =
        serve_auth_logged_in(r) ? serve_auth_access(r, &ax, &err) : P20W_OK;
    if (rc == P20W_OK && ax != NULL && id > 0)
        rc = access_learner_scopes(ax, id, &res, &err);
    if (rc == P20W_OK)
        rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed) {
        if (rc != P20W_OK && err.msg[0] != '\0')
            log_error("serve: learner record: %s", err.msg);
        return rc;
    }
    store *st = access_store(ax);
    sbuf *b = serve_resp_body(out);
    rc = serve_page_begin(r, out, _("Learner record"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Education records from the live submissions. "
                           "Wages are never shown for one person. This "
                           "look has been written to the audit log."));
    for (size_t i = 0;
         rc == P20W_OK && i < sizeof sections / sizeof sections[0]; i++)
        rc = section_table(b, st, &sections[i], id, &err);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<p><a href=\"");
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/me/learners", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\">%s</a></p>\n", _("My learners"));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: learner record: %s", err.msg);
    return rc;
}

static p20w_status learner_by_handle(serve_req *r, serve_resp *out)
{
    int64_t id = 0;
    if (serve_auth_learner_open(r, r->rest, &id))
        return learner_record(r, out, id, "web: from the list of learners");
    p20w_status rc = serve_auth_audit_denied(
        r, "learner education records (web link)",
        "the learner link is not one of this session's");
    if (rc == P20W_OK)
        rc = serve_auth_forbidden(
            r, out,
            _("This link to a learner is not valid: links to learners work "
              "only in the session that showed them. Open the list of your "
              "learners again."),
            NULL);
    return rc;
}

/* The p20w_id of an agency student id (K-12, or an institution's), 0 if
 * linkage placed no such record. */
static p20w_status find_learner(serve_req *r, int64_t *id, p20w_err *err)
{
    const char *sid = serve_req_form(r, "student_id");
    const char *inst = serve_req_form(r, "institution_id");
    const char *psid = serve_req_form(r, "ps_student_id");
    char key[2 * ACCESS_ID_MAX + 2];
    const char *source = "k12_students";
    *id = 0;
    if (sid != NULL && sid[0] != '\0' && strlen(sid) <= ACCESS_ID_MAX) {
        snprintf(key, sizeof key, "%s", sid);
    } else if (inst != NULL && psid != NULL && inst[0] != '\0' &&
               psid[0] != '\0' && strlen(inst) <= ACCESS_ID_MAX &&
               strlen(psid) <= ACCESS_ID_MAX) {
        snprintf(key, sizeof key, "%s/%s", inst, psid);
        source = "ps_enrollments";
    } else {
        return P20W_OK;
    }
    store *st = NULL;
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = serve_req_store(r, &st, err);
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "SELECT p20w_id FROM person_links WHERE source = "
                           "? AND record_key = ?",
                           &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, source, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, key, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row)
        *id = store_column_int64(q, 0);
    store_finalize(q);
    return rc;
}

static p20w_status learner_lookup(serve_req *r, serve_resp *out)
{
    int64_t id = 0;
    p20w_err err = {0};
    p20w_status rc = find_learner(r, &id, &err);
    if (rc != P20W_OK) {
        log_error("serve: learner lookup: %s", err.msg);
        return rc;
    }
    return learner_record(r, out, id,
                          id > 0 ? "web: looked up by student id"
                                 : "web: a student id that matched no "
                                   "learner");
}

static const serve_param_spec unit_params[] = {
    {"kind", SERVE_P_ENUM, "school|district|institution"},
    {"id", SERVE_P_ID, NULL},
    {"indicator", SERVE_P_ID, NULL},
    {"year", SERVE_P_YEAR, NULL},
    {NULL, 0, NULL},
};

static const serve_param_spec roster_params[] = {
    {"kind", SERVE_P_ENUM, "school|district|institution"},
    {"id", SERVE_P_ID, NULL},
    {"page", SERVE_P_INT, NULL},
    {NULL, 0, NULL},
};

static const serve_route routes[] = {
    {SERVE_GET, "/me/aggregates", 0, unit_params, aggregates_page},
    {SERVE_GET, "/me/learners", 0, roster_params, learners_page},
    {SERVE_GET, "/me/learner/", 1, NULL, learner_by_handle},
    {SERVE_POST, "/me/learner", 0, NULL, learner_lookup},
};

p20w_status serve_views_practitioner_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
