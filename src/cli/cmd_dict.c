/*
 * cmd_dict.c — `p20w dict`: prints the data dictionary, describes one
 * element, or lists the code sets.
 *
 *   p20w dict [--format text|md|csv]            the whole dictionary
 *   p20w dict [--format ...] ELEMENT            every occurrence of an element
 *                                               ("ssn", "k12_students.ssn")
 *                                               or one extract by name
 *   p20w dict --codesets [--format ...]         code sets, row counts, sources
 *
 * The markdown form is docs/data-dictionary.md (`make docs`); it loads the
 * code sets from the data directory to print their sizes. Everything printed
 * comes from src/dict/; this file only lays it out.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "dict/codeset.h"
#include "dict/dict.h"
#include "util/csv.h"

typedef enum out_format { FMT_TEXT, FMT_MD, FMT_CSV } out_format;

#define MAX_MATCHES 32

static void usage(FILE *out)
{
    fprintf(out,
            "usage: p20w dict [--format text|md|csv] [ELEMENT]\n"
            "       p20w dict --codesets [--format text|md|csv]\n"
            "\n"
            "Prints the data dictionary of the agency extracts: every column\n"
            "with its type, required/optional, sensitivity (P public, A\n"
            "aggregate-only, C confidential, D direct identifier, W UI\n"
            "wage-confidential), code set, range and rule.\n"
            "\n"
            "  ELEMENT          a column (\"ssn\": every extract holding it),\n"
            "                   \"extract.column\", or an extract name\n"
            "  --format FMT     text (default), md (markdown), csv\n"
            "  --codesets       list the code sets with row counts and "
            "sources\n"
            "                   (read from the data directory)\n"
            "  -h, --help       this help\n"
            "\n"
            "exit codes: 0 ok, 1 unknown element or bad reference data,\n"
            "2 usage, 3 internal error\n");
}

/* ---- small layout helpers --------------------------------------------- */

/* Display width of a UTF-8 string: code points, not bytes. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* One output line built cell by cell, so that padding never leaves
 * trailing spaces. */
typedef struct text_line {
    char buf[2048];
    size_t n;
} text_line;

static void cell(text_line *l, const char *s, size_t w)
{
    size_t n = width(s), len = strlen(s);
    if (len > sizeof l->buf - 1 - l->n)
        len = sizeof l->buf - 1 - l->n;
    memcpy(l->buf + l->n, s, len);
    l->n += len;
    for (; n < w && l->n < sizeof l->buf - 1; n++)
        l->buf[l->n++] = ' ';
    l->buf[l->n] = '\0';
}

static void line_end(text_line *l)
{
    while (l->n > 0 && l->buf[l->n - 1] == ' ')
        l->n--;
    l->buf[l->n] = '\0';
    puts(l->buf);
    l->n = 0;
    l->buf[0] = '\0';
}

/* Markdown table cell: pipes escaped, empty shown as nothing. */
static void md_cell(const char *s)
{
    fputs("| ", stdout);
    for (; *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
    putchar(' ');
}

static const char *sens_mark(const dict_column *c)
{
    return c->sens_from_spec ? "" : "†";
}

static void key_list(const dict_extract *x, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < DICT_KEY_MAX && x->key[i] != NULL; i++) {
        int k = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", x->key[i]);
        if (k < 0 || (size_t)k >= cap - n)
            return;
        n += (size_t)k;
    }
}

static void rule_cols(const char *const *cols, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < DICT_RULE_MAX_COLS && cols[i] != NULL; i++) {
        int k = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", cols[i]);
        if (k < 0 || (size_t)k >= cap - n)
            return;
        n += (size_t)k;
    }
}

static void rule_line(const dict_rule *r, char *buf, size_t cap)
{
    char cols[128], refs[128];
    rule_cols(r->cols, cols, sizeof cols);
    if (r->kind == DICT_RULE_REF) {
        rule_cols(r->ref_cols, refs, sizeof refs);
        snprintf(buf, cap, "%s (%s) → %s (%s): %s",
                 dict_rule_kind_name(r->kind), cols, r->ref_extract, refs,
                 r->text);
    } else if (r->kind == DICT_RULE_AGE_ON_SEPT1) {
        snprintf(buf, cap, "%s (%s) in %g–%g: %s", dict_rule_kind_name(r->kind),
                 cols, r->lo, r->hi, r->text);
    } else {
        snprintf(buf, cap, "%s (%s): %s", dict_rule_kind_name(r->kind), cols,
                 r->text);
    }
}

/* ---- text ------------------------------------------------------------- */

static void text_extract(const dict_extract *x)
{
    char key[256], type[64], range[96], rule[512];
    key_list(x, key, sizeof key);
    printf("%s (%s) — %s\n  %s\n  natural key: %s\n\n", x->name, x->file,
           x->agency, x->grain, key);
    text_line l = {"", 0};
    cell(&l, "  column", 22);
    cell(&l, "type", 24);
    cell(&l, "R/O", 4);
    cell(&l, "sens", 5);
    cell(&l, "code set", 22);
    cell(&l, "rule", 0);
    line_end(&l);
    for (size_t i = 0; i < x->ncolumns; i++) {
        const dict_column *c = &x->columns[i];
        char sens[16], tail[768];
        snprintf(sens, sizeof sens, "%s%s", dict_sens_code(c->sens),
                 sens_mark(c));
        dict_format_range(c, range, sizeof range);
        if (range[0] != '\0' && c->rule[0] != '\0')
            snprintf(tail, sizeof tail, "%s [%s]", c->rule, range);
        else
            snprintf(tail, sizeof tail, "%s%s", c->rule, range);
        cell(&l, "  ", 0);
        cell(&l, c->name, 20);
        cell(&l, dict_format_type(c, type, sizeof type), 24);
        cell(&l, c->required ? "R" : "O", 4);
        cell(&l, sens, 5);
        cell(&l, c->codeset != NULL ? c->codeset : "", 22);
        cell(&l, tail, 0);
        line_end(&l);
    }
    if (x->nrules > 0)
        printf("  rules:\n");
    for (size_t i = 0; i < x->nrules; i++) {
        rule_line(&x->rules[i], rule, sizeof rule);
        printf("    %s\n", rule);
    }
    printf("\n");
}

static int rule_mentions(const dict_rule *r, const char *col)
{
    for (size_t i = 0; i < DICT_RULE_MAX_COLS && r->cols[i] != NULL; i++)
        if (strcmp(r->cols[i], col) == 0)
            return 1;
    return 0;
}

static void text_element(const dict_element *e)
{
    const dict_column *c = e->column;
    const dict_extract *x = e->extract;
    char type[64], range[96], rule[512];
    printf("%s.%s\n", x->name, c->name);
    printf("  extract:     %s (%s, %s)\n", x->name, x->file, x->agency);
    printf("  type:        %s\n", dict_format_type(c, type, sizeof type));
    printf("  required:    %s\n",
           c->required ? "required (R)" : "optional (O)");
    printf("  sensitivity: %s (%s)%s\n", dict_sens_code(c->sens),
           dict_sens_label(c->sens),
           c->sens_from_spec ? ""
                             : " — chosen by p20w; the spec table gives none");
    if (c->codeset != NULL)
        printf("  code set:    %s%s%s\n", c->codeset,
               c->codeset_alt != NULL ? " or " : "",
               c->codeset_alt != NULL ? c->codeset_alt : "");
    if (dict_format_range(c, range, sizeof range)[0] != '\0')
        printf("  range:       %s\n", range);
    if (c->missing_means != NULL)
        printf("  if empty:    %s\n", c->missing_means);
    if (c->rule[0] != '\0')
        printf("  rule:        %s\n", c->rule);
    for (size_t i = 0; i < DICT_KEY_MAX && x->key[i] != NULL; i++)
        if (strcmp(x->key[i], c->name) == 0)
            printf("  natural key: part of the key of %s\n", x->name);
    for (size_t i = 0; i < x->nrules; i++) {
        if (!rule_mentions(&x->rules[i], c->name))
            continue;
        rule_line(&x->rules[i], rule, sizeof rule);
        printf("  cross-field: %s\n", rule);
    }
    printf("\n");
}

/* ---- csv -------------------------------------------------------------- */

static const char *const csv_header[] = {
    "extract",  "file",     "agency",      "column",
    "type",     "required", "sensitivity", "sensitivity_source",
    "code_set", "range",    "if_empty",    "rule"};
#define CSV_NCOLS (sizeof csv_header / sizeof csv_header[0])

static p20w_status csv_column(const dict_extract *x, const dict_column *c)
{
    char type[64], range[96], cs[96];
    const char *row[CSV_NCOLS];
    snprintf(cs, sizeof cs, "%s%s%s", c->codeset != NULL ? c->codeset : "",
             c->codeset_alt != NULL ? " " : "",
             c->codeset_alt != NULL ? c->codeset_alt : "");
    row[0] = x->name;
    row[1] = x->file;
    row[2] = x->agency;
    row[3] = c->name;
    row[4] = dict_format_type(c, type, sizeof type);
    row[5] = c->required ? "R" : "O";
    row[6] = dict_sens_code(c->sens);
    row[7] = c->sens_from_spec ? "spec" : "chosen";
    row[8] = cs;
    row[9] = dict_format_range(c, range, sizeof range);
    row[10] = c->missing_means;
    row[11] = c->rule;
    return csv_write_row(stdout, row, CSV_NCOLS);
}

/* ---- markdown --------------------------------------------------------- */

/* One markdown table row of column c; x non-NULL adds a leading extract
 * cell (element tables list several extracts). */
static void md_row(const dict_extract *x, const dict_column *c)
{
    char type[64], range[96], sens[16], cs[96];
    snprintf(sens, sizeof sens, "%s%s", dict_sens_code(c->sens), sens_mark(c));
    snprintf(cs, sizeof cs, "%s%s%s", c->codeset != NULL ? c->codeset : "",
             c->codeset_alt != NULL ? " or " : "",
             c->codeset_alt != NULL ? c->codeset_alt : "");
    if (x != NULL)
        printf("| %s ", x->name);
    printf("| `%s` ", c->name);
    md_cell(dict_format_type(c, type, sizeof type));
    md_cell(c->required ? "R" : "O");
    md_cell(sens);
    md_cell(cs);
    md_cell(dict_format_range(c, range, sizeof range));
    md_cell(c->rule); /* the flags' rules say what empty means */
    printf("|\n");
}

static void md_extract(const dict_extract *x)
{
    char key[256], rule[512];
    key_list(x, key, sizeof key);
    printf("## %s — `%s`\n\n", x->name, x->file);
    printf("Submitted by the %s; %s. Natural key: %s.\n\n", x->agency, x->grain,
           key);
    printf("| column | type | R/O | sensitivity | code set | range | rule |\n"
           "|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < x->ncolumns; i++)
        md_row(NULL, &x->columns[i]);
    if (x->nrules > 0)
        printf("\nCross-field and cross-file rules:\n\n");
    for (size_t i = 0; i < x->nrules; i++) {
        rule_line(&x->rules[i], rule, sizeof rule);
        printf("- %s\n", rule);
    }
    printf("\n");
}

static void md_codesets(const codeset_registry *reg)
{
    size_t n = codeset_registry_count(reg);
    printf("## Code sets\n\n"
           "Columns of type code, fips, cip, soc, naics and sced must hold a "
           "member of the code set named in their table. Reference code sets "
           "are read from the reference-data folder (`data/`, described in "
           "`data/SOURCES.md`); the others are defined by the extract "
           "specification and built into p20w.\n\n"
           "| code set | codes | source |\n|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const codeset *cs = codeset_registry_at(reg, i);
        printf("| `%s` | %zu ", codeset_name(cs), codeset_size(cs));
        md_cell(codeset_source(cs));
        printf("|\n");
    }
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        const codeset *cs = codeset_registry_at(reg, i);
        if (!codeset_is_builtin(cs))
            continue;
        printf("### %s\n\n| code | meaning |\n|---|---|\n", codeset_name(cs));
        for (size_t k = 0; k < codeset_size(cs); k++) {
            const char *title = NULL;
            const char *code = codeset_code_at(cs, k, &title);
            printf("| `%s` ", code);
            md_cell(title != NULL ? title : "");
            printf("|\n");
        }
        printf("\n");
    }
}

static void md_intro(void)
{
    printf("# p20w data dictionary\n\n"
           "This is the data dictionary of the extracts that state agencies "
           "submit to p20w: the K-12 education agency (SEA), the "
           "higher-education agency, the labor agency and the motor-vehicle "
           "agency. For each extract it lists every column (data element), "
           "its type, whether it is required (R) or optional (O), its "
           "sensitivity, the code set it must come from, its allowed range and "
           "the rule it must satisfy, followed by the rules that tie columns "
           "and files together. p20w validates every submitted file against "
           "exactly these definitions. The contract they come from is the "
           "agency extract specification (version 1).\n\n"
           "Every extract is a UTF-8 CSV file with one header row holding the "
           "column names below (any order, case-insensitive). An empty field "
           "means missing. Dates are `YYYY-MM-DD`; a school year is named by "
           "the calendar year in which it ends (`2021` = 2020-21); a quarter "
           "is `YYYYQn`.\n\n"
           "Sensitivity levels:\n\n"
           "- **P** public.\n"
           "- **A** aggregate-only: may be published only in suppressed "
           "aggregates.\n"
           "- **C** confidential learner-level.\n"
           "- **D** direct identifier (name, SSN, birth date, address): used "
           "only to link records and never leaves the linkage step in clear; "
           "masked in error reports (`J*** S****`, `***-**-1234`).\n"
           "- **W** UI wage-confidential: individual wages are never shown "
           "to anyone outside the state data office (20 CFR 603).\n\n"
           "A † after a sensitivity marks a level the specification's table "
           "does not give; p20w assigned it by the definitions above.\n\n"
           "This file is generated by `p20w dict --format md` (`make docs`); "
           "edit the dictionary in `src/dict/`, not here.\n\n");
}

static void md_summary(void)
{
    printf("## Extracts\n\n| extract | file | agency | columns | one row "
           "per |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < dict_extract_count(); i++) {
        const dict_extract *x = dict_extract_at(i);
        /* GitHub's anchor for "## name — `name.csv`" */
        printf("| [%s](#%s--%scsv) | `%s` | %s | %zu ", x->name, x->name,
               x->name, x->file, x->agency, x->ncolumns);
        md_cell(x->grain);
        printf("|\n");
    }
    printf("\n");
}

/* ---- commands --------------------------------------------------------- */

static int load_codesets(codeset_registry **reg)
{
    p20w_err err;
    p20w_err_clear(&err);
    if (codeset_registry_load(cli_data_dir(), reg, &err) != P20W_OK)
        return cli_fail(&err);
    return 0;
}

static int print_codesets(out_format fmt)
{
    codeset_registry *reg = NULL;
    int rc = load_codesets(&reg);
    if (rc != 0)
        return rc;
    if (fmt == FMT_MD) {
        md_codesets(reg);
    } else if (fmt == FMT_CSV) {
        const char *h[] = {"code_set", "codes", "builtin", "source"};
        csv_write_row(stdout, h, 4);
    } else {
        text_line l = {"", 0};
        cell(&l, "code set", 24);
        cell(&l, "codes", 8);
        cell(&l, "source", 0);
        line_end(&l);
    }
    for (size_t i = 0; fmt != FMT_MD && i < codeset_registry_count(reg); i++) {
        const codeset *cs = codeset_registry_at(reg, i);
        char n[32];
        snprintf(n, sizeof n, "%zu", codeset_size(cs));
        if (fmt == FMT_CSV) {
            const char *row[] = {codeset_name(cs), n,
                                 codeset_is_builtin(cs) ? "1" : "0",
                                 codeset_source(cs)};
            csv_write_row(stdout, row, 4);
        } else {
            text_line l = {"", 0};
            cell(&l, codeset_name(cs), 24);
            cell(&l, n, 8);
            cell(&l, codeset_source(cs), 0);
            line_end(&l);
        }
    }
    codeset_registry_free(reg);
    return 0;
}

static int print_all(out_format fmt)
{
    codeset_registry *reg = NULL;
    int rc;
    if (fmt == FMT_CSV)
        csv_write_row(stdout, csv_header, CSV_NCOLS);
    if (fmt == FMT_MD) {
        md_intro();
        md_summary();
    }
    for (size_t i = 0; i < dict_extract_count(); i++) {
        const dict_extract *x = dict_extract_at(i);
        if (fmt == FMT_TEXT)
            text_extract(x);
        else if (fmt == FMT_MD)
            md_extract(x);
        for (size_t k = 0; fmt == FMT_CSV && k < x->ncolumns; k++)
            csv_column(x, &x->columns[k]);
    }
    if (fmt == FMT_TEXT)
        printf("† sensitivity chosen by p20w: the spec table gives none.\n");
    if (fmt != FMT_MD)
        return 0;
    rc = load_codesets(&reg);
    if (rc != 0)
        return rc;
    md_codesets(reg);
    codeset_registry_free(reg);
    return 0;
}

static int print_element(const char *name, out_format fmt)
{
    dict_element m[MAX_MATCHES];
    const dict_extract *x = dict_find_extract(name);
    size_t n;
    if (x != NULL) {
        if (fmt == FMT_CSV)
            csv_write_row(stdout, csv_header, CSV_NCOLS);
        if (fmt == FMT_TEXT)
            text_extract(x);
        else if (fmt == FMT_MD)
            md_extract(x);
        for (size_t k = 0; fmt == FMT_CSV && k < x->ncolumns; k++)
            csv_column(x, &x->columns[k]);
        return 0;
    }
    n = dict_find_element(name, m, MAX_MATCHES);
    if (n == 0) {
        fprintf(stderr,
                "p20w dict: unknown element '%s' (try 'p20w dict' for the "
                "list)\n",
                name);
        return 1;
    }
    if (n > MAX_MATCHES)
        n = MAX_MATCHES;
    if (fmt == FMT_CSV)
        csv_write_row(stdout, csv_header, CSV_NCOLS);
    if (fmt == FMT_MD)
        printf("| extract | column | type | R/O | sensitivity | code set | "
               "range | rule |\n|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        if (fmt == FMT_CSV)
            csv_column(m[i].extract, m[i].column);
        else if (fmt == FMT_MD)
            md_row(m[i].extract, m[i].column);
        else
            text_element(&m[i]);
    }
    return 0;
}

static int parse_format(const char *s, out_format *fmt)
{
    if (strcmp(s, "text") == 0)
        *fmt = FMT_TEXT;
    else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
        *fmt = FMT_MD;
    else if (strcmp(s, "csv") == 0)
        *fmt = FMT_CSV;
    else
        return 0;
    return 1;
}

int cmd_dict(int argc, char **argv)
{
    out_format fmt = FMT_TEXT;
    int codesets = 0, rc;
    const char *element = NULL;

    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--format") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("dict", "--format needs a value");
            a = argv[++i];
            if (!parse_format(a, &fmt))
                return cli_usage_error("dict", "unknown format '%s'", a);
        } else if (strncmp(a, "--format=", 9) == 0) {
            if (!parse_format(a + 9, &fmt))
                return cli_usage_error("dict", "unknown format '%s'", a + 9);
        } else if (strcmp(a, "--codesets") == 0) {
            codesets = 1;
        } else if (a[0] == '-') {
            return cli_usage_error("dict", "unknown option '%s'", a);
        } else if (element != NULL) {
            return cli_usage_error("dict", "only one ELEMENT may be given");
        } else {
            element = a;
        }
    }
    if (codesets && element != NULL)
        return cli_usage_error("dict", "--codesets takes no ELEMENT");
    if (codesets)
        rc = print_codesets(fmt);
    else if (element != NULL)
        rc = print_element(element, fmt);
    else
        rc = print_all(fmt);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "p20w dict: cannot write output\n");
        return 3;
    }
    return rc;
}
