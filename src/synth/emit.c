/*
 * emit.c — the output files: creates DIR and DIR/truth, opens every extract
 * with a large stdio buffer, writes the header rows of spec/extracts.md and
 * the truth files, writes the reference extracts (schools, institutions,
 * employers), counts rows and closes everything.
 *
 * All writing goes through csv_write_row() (util/csv.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "synth/synth_int.h"
#include "util/csv.h"
#include "util/mem.h"

const char *const synth_file_name[F_COUNT] = {
    "k12_students.csv",    "k12_schools.csv",    "k12_exits.csv",
    "k12_cte_courses.csv", "k12_wbl.csv",        "k12_credentials.csv",
    "k12_assessments.csv", "ps_enrollments.csv", "ps_completions.csv",
    "ps_institutions.csv", "ui_wages.csv",       "ui_employers.csv",
    "apprenticeships.csv", "dmv_ids.csv",        "truth/persons.csv",
    "truth/person_map.csv"};

static const char *const h_students[] = {"student_id",
                                         "school_year",
                                         "school_id",
                                         "grade_level",
                                         "first_name",
                                         "middle_name",
                                         "last_name",
                                         "name_suffix",
                                         "birth_date",
                                         "sex",
                                         "race_ethnicity",
                                         "ssn",
                                         "zip",
                                         "econ_disadvantaged",
                                         "disability",
                                         "english_learner",
                                         "homeless",
                                         "foster_care",
                                         "migrant",
                                         "military_connected",
                                         "days_enrolled",
                                         "days_absent"};
static const char *const h_schools[] = {"school_id",   "school_name",
                                        "district_id", "district_name",
                                        "county_fips", "locale"};
static const char *const h_exits[] = {"student_id", "school_id", "exit_date",
                                      "exit_type", "cohort_year"};
static const char *const h_cte[] = {
    "student_id",     "school_year",      "school_id", "sced_code",
    "career_cluster", "program_of_study", "credits",   "completed"};
static const char *const h_wbl[] = {"student_id", "school_year",
                                    "wbl_type",   "employer_naics",
                                    "hours",      "completed"};
static const char *const h_cred[] = {"student_id", "credential_code",
                                     "earned_date"};
static const char *const h_assess[] = {"student_id", "school_year", "subject",
                                       "proficient"};
static const char *const h_psenr[] = {"ps_student_id",
                                      "institution_id",
                                      "first_name",
                                      "middle_name",
                                      "last_name",
                                      "birth_date",
                                      "sex",
                                      "race_ethnicity",
                                      "ssn",
                                      "zip",
                                      "term",
                                      "award_level_sought",
                                      "cip_code",
                                      "credits_attempted",
                                      "credits_earned",
                                      "dual_enrollment",
                                      "cte_program"};
static const char *const h_pscomp[] = {"ps_student_id", "institution_id",
                                       "award_date", "award_level", "cip_code"};
static const char *const h_psinst[] = {"institution_id", "institution_name",
                                       "sector", "county_fips"};
static const char *const h_wages[] = {"ssn",         "last_name", "first_name",
                                      "employer_id", "quarter",   "wages"};
static const char *const h_emp[] = {"employer_id", "naics", "county_fips"};
static const char *const h_appr[] = {"apprentice_id", "first_name", "last_name",
                                     "birth_date",    "ssn",        "soc_code",
                                     "start_date",    "end_date",   "status"};
static const char *const h_dmv[] = {"dmv_id",    "first_name", "middle_name",
                                    "last_name", "birth_date", "sex",
                                    "zip",       "ssn"};
static const char *const h_persons[] = {"person_id",
                                        "first_name",
                                        "middle_name",
                                        "last_name",
                                        "name_suffix",
                                        "birth_date",
                                        "sex",
                                        "race_ethnicity",
                                        "ssn",
                                        "married_last_name",
                                        "marriage_date",
                                        "twin_of",
                                        "same_name_as",
                                        "home_county_fips",
                                        "rural",
                                        "econ_disadvantaged",
                                        "disability",
                                        "english_learner",
                                        "homeless",
                                        "foster_care",
                                        "migrant",
                                        "military_connected",
                                        "student_id",
                                        "student_id_2",
                                        "k12_ssn",
                                        "cohort_year",
                                        "exit_type",
                                        "exit_date",
                                        "cte_participant",
                                        "cte_concentrator",
                                        "cte_program",
                                        "wbl_completer",
                                        "credential",
                                        "dual_enrollment",
                                        "ps_enrolled",
                                        "highest_award",
                                        "apprentice",
                                        "dmv_id",
                                        "moved_out_quarter",
                                        "self_employed_from",
                                        "moved_in_quarter"};
static const char *const h_map[] = {"source_file", "row", "record_key",
                                    "person_id", "noise"};

#define H(a) a, sizeof a / sizeof a[0]
static const struct {
    const char *const *cols;
    size_t n;
} headers[F_COUNT] = {
    {H(h_students)}, {H(h_schools)}, {H(h_exits)},   {H(h_cte)},
    {H(h_wbl)},      {H(h_cred)},    {H(h_assess)},  {H(h_psenr)},
    {H(h_pscomp)},   {H(h_psinst)},  {H(h_wages)},   {H(h_emp)},
    {H(h_appr)},     {H(h_dmv)},     {H(h_persons)}, {H(h_map)}};
#undef H

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

p20w_status synth_emit_open(synth_world *w, p20w_err *err)
{
    char path[4096];
    if (make_dir(w->opt.out_dir) != 0)
        return p20w_err_set(err, P20W_EIO, "cannot create directory %s: %s",
                            w->opt.out_dir, strerror(errno));
    snprintf(path, sizeof path, "%s/truth", w->opt.out_dir);
    if (make_dir(path) != 0)
        return p20w_err_set(err, P20W_EIO, "cannot create directory %s: %s",
                            path, strerror(errno));
    for (int i = 0; i < F_COUNT; i++) {
        int n = snprintf(path, sizeof path, "%s/%s", w->opt.out_dir,
                         synth_file_name[i]);
        if (n < 0 || (size_t)n >= sizeof path)
            return p20w_err_set(err, P20W_EUSAGE, "output path too long");
        w->f[i] = fopen(path, "wb");
        if (w->f[i] == NULL)
            return p20w_err_set(err, P20W_EIO, "cannot create %s: %s", path,
                                strerror(errno));
        setvbuf(w->f[i], NULL, _IOFBF, 1 << 18);
        if (csv_write_row(w->f[i], headers[i].cols, headers[i].n) != P20W_OK)
            return p20w_err_set(err, P20W_EIO, "cannot write %s", path);
    }
    return P20W_OK;
}

p20w_status synth_emit_row(synth_world *w, int file, const char *const *f,
                           size_t n, p20w_err *err)
{
    if (n != headers[file].n)
        return p20w_err_set(err, P20W_EINTERNAL,
                            "%s: row of %zu fields, header has %zu",
                            synth_file_name[file], n, headers[file].n);
    if (csv_write_row(w->f[file], f, n) != P20W_OK)
        return p20w_err_set(err, P20W_EIO, "cannot write %s/%s", w->opt.out_dir,
                            synth_file_name[file]);
    w->rows[file]++;
    if (file < F_PERSONS)
        w->data_rows++;
    return P20W_OK;
}

p20w_status synth_emit_reference(synth_world *w, p20w_err *err)
{
    char loc[8];
    p20w_status st = P20W_OK;
    for (int i = 0; i < w->nschool && st == P20W_OK; i++) {
        const synth_school *s = &w->school[i];
        snprintf(loc, sizeof loc, "%d", s->locale);
        const char *f[] = {s->id,
                           s->name,
                           s->district_id,
                           s->district_name,
                           w->county[s->county].fips,
                           loc};
        st = synth_emit_row(w, F_K12_SCHOOLS, f, 6, err);
    }
    for (int i = 0; i < w->ninst && st == P20W_OK; i++) {
        const synth_inst *in = &w->inst[i];
        const char *f[] = {in->id, in->name, synth_sector_code[in->sector],
                           w->county[in->county].fips};
        st = synth_emit_row(w, F_PS_INST, f, 4, err);
    }
    for (int i = 0; i < w->nemp && st == P20W_OK; i++) {
        char id[16];
        synth_employer_id(w, i, id);
        const char *f[] = {id, synth_employer_naics(w, i),
                           w->county[w->emp[i].county].fips};
        st = synth_emit_row(w, F_UI_EMP, f, 3, err);
    }
    return st;
}

p20w_status synth_emit_close(synth_world *w, p20w_err *err)
{
    p20w_status st = P20W_OK;
    for (int i = 0; i < F_COUNT; i++) {
        if (w->f[i] == NULL)
            continue;
        int bad = ferror(w->f[i]);
        if (fclose(w->f[i]) != 0 || bad) {
            if (st == P20W_OK)
                st = p20w_err_set(err, P20W_EIO, "cannot write %s/%s",
                                  w->opt.out_dir, synth_file_name[i]);
        }
        w->f[i] = NULL;
    }
    return st;
}
