/*
 * assess.h — the data-ecosystem self-assessment: a state team rates its
 * career-readiness data ecosystem against a rubric, sees where it stands
 * (heat map, strengths, challenges), writes an action plan, and compares
 * one year's assessment with another's (docs/assess.md).
 *
 * Four parts, one file each:
 *  - rubric.c      the rubric as data (data/assess_rubric.json), loaded and
 *                  checked once; English and Spanish text;
 *  - assessment.c  assessments in the store (schema migration 6): ratings
 *                  and evidence per sub-element, overall rating per core
 *                  element, the action plan; every save is one transaction;
 *                  export to and import from JSON; comparison;
 *  - evidence.c    what p20w itself can measure about some sub-elements
 *                  (1B, 2D, 3A, 4A, 4C, 4D, 5A): facts read from the store
 *                  and a suggested rating the team may override;
 *  - render.c      pure functions that write the views (HTML, CSV, JSON,
 *                  text) into a string buffer.
 *
 * assess/ uses only store/ and util/. It decides nothing about who may see
 * or change an assessment: serve/ and cli/ check access before calling it.
 * Facts that need another module (the audit chain of access/) are measured
 * by the caller and passed in (assess_evidence_input).
 *
 * Text shown around the rubric's own words ("Rating", "not rated") is
 * English msgids passed through dgettext("p20w", ...): a server thread
 * whose locale is Spanish gets the Spanish of po/es.po, the command line
 * gets English. The rubric's text comes from the rubric file in the
 * language asked for.
 *
 * Thread safety: a loaded rubric is read-only and may be shared; the rest
 * follows the store (one thread at a time per store).
 */
#ifndef P20W_ASSESS_H
#define P20W_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"
#include "util/sbuf.h"

/* The shape of the rubric: 6 core elements, 21 sub-elements. The ids
 * are stored with every rating, so the rubric file must keep them. */
#define ASSESS_NCORE 6
#define ASSESS_NSUB 21
#define ASSESS_NLEVER 4
#define ASSESS_NRESOURCE 5

/* Limits on what a team types (bytes, UTF-8). */
#define ASSESS_TITLE_MAX 200
#define ASSESS_NAME_MAX 200 /* owners of goals and activities */
#define ASSESS_TEXT_MAX                                                        \
    4000                         /* evidence, vision, one SMART part: what one \
                                  * form field of the web server holds */
#define ASSESS_GOALS_MAX 10      /* the rubric asks for 3 to 5 */
#define ASSESS_ACTIVITIES_MAX 20 /* per goal */
#define ASSESS_RUBRIC_MAX (1 << 20) /* bytes of the rubric file */
#define ASSESS_IMPORT_MAX (4 << 20) /* bytes of an imported JSON export */

typedef enum assess_lang {
    ASSESS_EN = 0,
    ASSESS_ES = 1,
    ASSESS_NLANG
} assess_lang;

/* "en" -> ASSESS_EN, "es" -> ASSESS_ES; -1 otherwise. */
int assess_lang_parse(const char *s);
const char *assess_lang_code(assess_lang l);

/* ---- the fixed layout (no rubric needed) ------------------------------- */

/* "1A" .. "6D" for i in [0, ASSESS_NSUB). */
const char *assess_sub_id(size_t i);
/* The index of a sub-element id ("2d" is accepted as "2D"), or -1. */
int assess_sub_index(const char *id);
/* The core element (1..6) of sub-element i. */
int assess_sub_core(size_t i);
/* The first sub-element of core c (1..6) and how many it has. */
size_t assess_core_first(int core);
size_t assess_core_count(int core);

typedef enum assess_lever {
    ASSESS_LEVER_POLICY = 0,
    ASSESS_LEVER_TECHNOLOGY,
    ASSESS_LEVER_PEOPLE,
    ASSESS_LEVER_PROCESSES
} assess_lever;
/* "policy", "technology", "people", "processes"; parse returns -1. */
const char *assess_lever_id(int lever);
int assess_lever_parse(const char *s);

typedef enum assess_resource {
    ASSESS_RES_FUNDING = 0,
    ASSESS_RES_STAFFING,
    ASSESS_RES_PARTNERSHIPS,
    ASSESS_RES_TECHNOLOGY,
    ASSESS_RES_OTHER
} assess_resource;
const char *assess_resource_id(int kind);
int assess_resource_parse(const char *s);

/* ---- the rubric (rubric.c) ------------------------------------------- */

typedef struct assess_rubric assess_rubric;

/* Loads and checks the rubric file: JSON (duplicate keys refused), at most
 * ASSESS_RUBRIC_MAX bytes, with every rating 1-4, core element 1-6,
 * sub-element 1A-6D, lever and resource kind, each with non-empty text in
 * English and Spanish, the criteria at 1 and at 4 as non-empty lists.
 * Errors: P20W_EIO (cannot read), P20W_ELIMIT (too big), P20W_EFORMAT
 * (not JSON: the message has line and column), P20W_EINVAL (JSON of the
 * wrong shape: the message names the place, e.g.
 * "elements[1].subs[3].at_4.es: missing"), P20W_ENOMEM. The error's file
 * is set to path. */
p20w_status assess_rubric_load(const char *path, assess_rubric **out,
                               p20w_err *err);

/* The same from memory; name (may be NULL) goes into error messages. */
p20w_status assess_rubric_parse(const char *text, size_t len, const char *name,
                                assess_rubric **out, p20w_err *err);

void assess_rubric_free(assess_rubric *r);

/* The rubric's version string (stored with each assessment). */
const char *assess_rubric_version(const assess_rubric *r);

/* Text of the rubric; every pointer lives as long as the rubric. */
const char *assess_rubric_rating_name(const assess_rubric *r, int rating,
                                      assess_lang l);
const char *assess_rubric_rating_meaning(const assess_rubric *r, int rating,
                                         assess_lang l);
const char *assess_rubric_core_title(const assess_rubric *r, int core,
                                     assess_lang l);
const char *assess_rubric_core_about(const assess_rubric *r, int core,
                                     assess_lang l);
const char *assess_rubric_sub_title(const assess_rubric *r, size_t sub,
                                    assess_lang l);
/* The criteria of sub at level 1 or 4: *n entries. */
const char *const *assess_rubric_sub_criteria(const assess_rubric *r,
                                              size_t sub, int level,
                                              assess_lang l, size_t *n);
const char *assess_rubric_lever_name(const assess_rubric *r, int lever,
                                     assess_lang l);
const char *assess_rubric_lever_about(const assess_rubric *r, int lever,
                                      assess_lang l);
const char *assess_rubric_resource_name(const assess_rubric *r, int kind,
                                        assess_lang l);
const char *assess_rubric_resource_prompt(const assess_rubric *r, int kind,
                                          assess_lang l);

/* ---- assessments (assessment.c) ----------------------------------------- */

/* One activity of a goal. Strings are never NULL ("" when empty);
 * due_date is "" or YYYY-MM-DD. */
typedef struct assess_activity {
    const char *activity;
    const char *owner;
    const char *due_date;
    const char *metric; /* how success will be measured */
    int lever;          /* assess_lever */
} assess_activity;

/* One SMART goal. element is "" or the sub-element it addresses. */
typedef struct assess_goal {
    const char *element;
    const char *specific;
    const char *measurable;
    const char *attainable;
    const char *relevant;
    const char *time_bound;
    const char *owner;
    const char *due_date;
    const assess_activity *activities;
    size_t nactivities;
} assess_goal;

/* The action plan: a vision, resources by kind ("" when none), goals. */
typedef struct assess_plan {
    const char *vision;
    const char *resources[ASSESS_NRESOURCE];
    const assess_goal *goals;
    size_t ngoals;
} assess_plan;

/* An assessment as stored; everything is owned by the struct (free with
 * assess_free). rating[i] is 0 when sub-element i is not rated yet. */
typedef struct assessment {
    int64_t id;
    const char *title;
    const char *owner;
    const char *status; /* "draft" or "complete" */
    const char *rubric_version;
    const char *created_at;
    const char *updated_at;
    int rating[ASSESS_NSUB];
    const char *evidence[ASSESS_NSUB];
    int overall[ASSESS_NCORE]; /* 0 when not rated */
    assess_plan plan;
    const char *const *members; /* account names of the team */
    size_t nmembers;
    struct arena *mem; /* private */
} assessment;

void assess_free(assessment *a);

/* A line of assess_list(). */
typedef struct assess_summary {
    int64_t id;
    char title[ASSESS_TITLE_MAX + 1];
    char owner[ASSESS_NAME_MAX + 1];
    char status[16];
    char created_at[32];
    char updated_at[32];
    int rated; /* sub-elements rated */
} assess_summary;

/* Starts an assessment: status draft, nothing rated. title: 1 to
 * ASSESS_TITLE_MAX bytes of UTF-8 without control characters; owner: who
 * starts it (an account name, or "os:LOGIN" from the command line).
 * now is seconds since 1970 UTC. Errors: P20W_EINVAL, P20W_ESTORE. */
p20w_status assess_create(store *st, const char *title, const char *owner,
                          const char *rubric_version, int64_t now, int64_t *id,
                          p20w_err *err);

/* Reads assessment id. Errors: P20W_ENOTFOUND, P20W_ESTORE, P20W_ENOMEM. */
p20w_status assess_get(store *st, int64_t id, assessment **out, p20w_err *err);

/* Every assessment, newest first; with user_id > 0 only those whose team
 * has that account. *out is p20w_malloc'd (p20w_free). */
p20w_status assess_list(store *st, int64_t user_id, assess_summary **out,
                        size_t *n, p20w_err *err);

/* Keeps a field as it is (assess_entry.rating). */
#define ASSESS_KEEP (-1)

/* One change of a rating form: element is a sub-element ("1A") or a core
 * element ("1".."6") for its overall rating; rating 1..4, 0 to clear, or
 * ASSESS_KEEP; evidence NULL to keep, else the new text (sub-elements
 * only). */
typedef struct assess_entry {
    const char *element;
    int rating;
    const char *evidence;
} assess_entry;

/* Applies the entries in one transaction: all or none. Errors:
 * P20W_EINVAL (an unknown element, a rating out of range, evidence for a
 * core element or longer than ASSESS_TEXT_MAX, not UTF-8; the message
 * names the element), P20W_ENOTFOUND, P20W_ESTORE. */
p20w_status assess_save_ratings(store *st, int64_t id, const assess_entry *e,
                                size_t n, int64_t now, p20w_err *err);

/* Replaces the whole action plan in one transaction. Errors: P20W_EINVAL
 * (text too long or not UTF-8, a date not YYYY-MM-DD, an unknown lever or
 * element, more than ASSESS_GOALS_MAX goals or ASSESS_ACTIVITIES_MAX
 * activities, an activity without text; the message names the field),
 * P20W_ENOTFOUND, P20W_ESTORE. */
p20w_status assess_save_plan(store *st, int64_t id, const assess_plan *p,
                             int64_t now, p20w_err *err);

/* The same from JSON: the "plan" object of an export (vision, resources,
 * goals with activities). Errors: P20W_EFORMAT (line and column),
 * P20W_EINVAL (the message names the field), P20W_ELIMIT, and those of
 * assess_save_plan. */
p20w_status assess_save_plan_json(store *st, int64_t id, const char *text,
                                  size_t len, int64_t now, p20w_err *err);

/* Changes the title. Errors: as assess_create, P20W_ENOTFOUND. */
p20w_status assess_set_title(store *st, int64_t id, const char *title,
                             int64_t now, p20w_err *err);

/* Marks the assessment complete (every sub-element must be rated:
 * P20W_EINVAL names the first that is not) or back to draft. */
p20w_status assess_set_status(store *st, int64_t id, int complete, int64_t now,
                              p20w_err *err);

/* The state team: adds or removes an account (by user id). Adding twice
 * is not an error. Errors: P20W_ENOTFOUND (no such assessment or user),
 * P20W_ESTORE. */
p20w_status assess_member_add(store *st, int64_t id, int64_t user_id,
                              p20w_err *err);
p20w_status assess_member_remove(store *st, int64_t id, int64_t user_id,
                                 p20w_err *err);
/* *yes = 1 when the account is on the assessment's team. */
p20w_status assess_is_member(store *st, int64_t id, int64_t user_id, int *yes,
                             p20w_err *err);

/* Deletes an assessment and everything in it. Errors: P20W_ENOTFOUND. */
p20w_status assess_delete(store *st, int64_t id, p20w_err *err);

/* Creates a new assessment from a JSON export (assess_json): title,
 * status, ratings, evidence, overall ratings and plan, all checked as the
 * save functions check them, in one transaction; created_at and owner are
 * the importer's. Errors: P20W_EFORMAT (not JSON: line and column),
 * P20W_EINVAL (wrong shape or a value refused: the message names it),
 * P20W_ELIMIT, P20W_ESTORE. */
p20w_status assess_import_json(store *st, const char *text, size_t len,
                               const char *owner, int64_t now, int64_t *id,
                               p20w_err *err);

/* ---- analysis (assessment.c, pure) ------------------------------------ */

/* Top strengths (highest ratings, 3 or 4) and challenges (lowest, 1 or 2),
 * up to max each, as sub-element indexes; ties keep rubric order. */
void assess_rank(const assessment *a, size_t max, size_t *strengths,
                 size_t *nstrengths, size_t *challenges, size_t *nchallenges);

/* What moved between two assessments (before, after). */
typedef struct assess_diff {
    int before[ASSESS_NSUB], after[ASSESS_NSUB]; /* 0 = not rated */
    int overall_before[ASSESS_NCORE], overall_after[ASSESS_NCORE];
    int up, down, same, unrated; /* sub-elements: rated in both and up,
                                    down or equal; unrated in either */
} assess_diff;

void assess_compare(const assessment *before, const assessment *after,
                    assess_diff *d);

/* The mean of the rated sub-elements of core c (0 when none). */
double assess_core_mean(const assessment *a, int core);

/* ---- stored checks (assessment.c) --------------------------------------- */

/* Records the result of an accessibility check of the pages, run by a tool
 * outside p20w (tests/browser runs axe-core): JSON of the form
 * {"tool": "axe-core 4.10", "pages": 12, "violations": 0,
 *  "languages": ["en", "es"], "checked_at": "2026-11-23T17:55:38Z"}
 * (checked_at optional: now). Replaces the previous result. Errors:
 * P20W_EFORMAT, P20W_EINVAL (a field missing or of the wrong type),
 * P20W_ESTORE. */
p20w_status assess_record_a11y(store *st, const char *json, size_t len,
                               int64_t now, p20w_err *err);

/* ---- auto-evidence (evidence.c) ----------------------------------------- */

#define ASSESS_FACTS_MAX 8
#define ASSESS_NEVIDENCE 7 /* 1B 2D 3A 4A 4C 4D 5A */

/* Facts the caller measures with modules assess/ may not use. */
typedef struct assess_evidence_input {
    int audit_checked;     /* 1 when the audit chain was verified */
    int audit_ok;          /* ... and it verified */
    int64_t audit_records; /* records in the chain */
} assess_evidence_input;

/* One measured fact. label is an English msgid (translate with
 * dgettext("p20w", label)); value is ready to show (numbers with '.',
 * dates YYYY-MM-DD) or "" when not measured. */
typedef struct assess_fact {
    const char *key;   /* stable id: "submissions", "match_rate" */
    const char *label; /* msgid */
    char value[128];
    int measured;
    int value_msgid; /* value is a msgid too ("verified", "none") */
} assess_fact;

/* What p20w measured about one sub-element. */
typedef struct assess_evidence {
    size_t sub;      /* sub-element index */
    int measured;    /* 0: nothing could be measured */
    int suggested;   /* 1..4, 0 when not measured */
    const char *why; /* msgid: the rule that gave the suggestion */
    size_t nfacts;
    assess_fact facts[ASSESS_FACTS_MAX];
} assess_evidence;

/* Measures every sub-element p20w can see, in rubric order, into
 * out[ASSESS_NEVIDENCE]. in may be NULL (the audit chain is then "not
 * measured"). now: seconds since 1970 UTC. Reads only; never fails on
 * missing data (that is a fact: "no submissions"). Errors: P20W_ESTORE. */
p20w_status assess_evidence_collect(store *st, const assess_evidence_input *in,
                                    int64_t now, assess_evidence *out,
                                    p20w_err *err);

/* The evidence of sub-element sub in ev[0..n), or NULL. */
const assess_evidence *assess_evidence_find(const assess_evidence *ev, size_t n,
                                            size_t sub);

/* ---- views (render.c): pure, append to b -------------------------------- */

/* The heat map: a table of core elements (rows) by sub-elements A-D
 * (columns), each cell its rating as a number and a word, a class for
 * colour (colour-blind-safe palette) and a pattern, and the overall
 * rating; then a legend. */
p20w_status assess_html_heatmap(sbuf *b, const assess_rubric *r,
                                const assessment *a, assess_lang l);
/* Top strengths and challenges (assess_rank, 3 each). */
p20w_status assess_html_strengths(sbuf *b, const assess_rubric *r,
                                  const assessment *a, assess_lang l);
/* The action plan, for the screen and for print. */
p20w_status assess_html_plan(sbuf *b, const assess_rubric *r,
                             const assessment *a, assess_lang l);
/* What moved between two assessments. */
p20w_status assess_html_compare(sbuf *b, const assess_rubric *r,
                                const assessment *before,
                                const assessment *after, assess_lang l);
/* The measured facts and suggested ratings. */
p20w_status assess_html_evidence(sbuf *b, const assess_rubric *r,
                                 const assess_evidence *ev, size_t n,
                                 assess_lang l);

/* CSV exports (RFC 4180, header row). Ratings: one row per sub-element
 * and per core element. Plan: one row for the vision, one per resource,
 * goal and activity. Compare: one row per sub-element and core. */
p20w_status assess_csv_ratings(sbuf *b, const assess_rubric *r,
                               const assessment *a, assess_lang l);
p20w_status assess_csv_plan(sbuf *b, const assessment *a);
p20w_status assess_csv_compare(sbuf *b, const assessment *before,
                               const assessment *after);

/* The whole assessment as JSON (what assess_import_json reads back). */
p20w_status assess_json(sbuf *b, const assessment *a);
/* The comparison as JSON. */
p20w_status assess_json_compare(sbuf *b, const assessment *before,
                                const assessment *after);
/* The evidence as JSON. */
p20w_status assess_json_evidence(sbuf *b, const assess_evidence *ev, size_t n);

/* Plain text for the terminal: the ratings as a grid, then the plan. */
p20w_status assess_text(sbuf *b, const assess_rubric *r, const assessment *a,
                        assess_lang l);

/* The style sheet of these views (classes only; no inline style). */
const char *assess_css(void);

/* HTML-escapes s into b (&, <, >, ", '). */
p20w_status assess_html_escape(sbuf *b, const char *s);

#endif
