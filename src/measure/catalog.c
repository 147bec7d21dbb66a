/*
 * catalog.c — the indicator catalog: every indicator of
 * spec/indicators.md, declared once (measure.h), in spec order.
 *
 * Each entry says what the indicator counts in plain English and Spanish,
 * its population and what its year means, its statistic, the dimensions
 * it may be cut by (the spec's list, only those its population carries),
 * the methodology note printed beside it and the emitter that computes
 * it (ind_*.c). docs/indicators.md explains each one at length.
 *
 * Indicators with a parameter are one entry per value, sharing an
 * emitter that reads the value from the id: OUTCOME_Y1/3/5/10,
 * EARN_Y1/5/10, INDUSTRY_Y1/5 and HOME_REGION_Y1/5 (k = 1 and 5: year 10
 * needs a decade of wages after the exit, and those two tell first job
 * from settled career), WBL_OUTCOMES as its two outcomes.
 */
#include "measure/measureInt.h"

#include <string.h>

#define BIT(d) (UINT64_C(1) << (d))

/* Person dimensions: sex, race and the special-population flags of the
 * spec (migrant is a flag of the extracts, not a special population). */
#define D_PERSON                                                               \
    (BIT(MD_SEX) | BIT(MD_RACE) | BIT(MD_ECON) | BIT(MD_DISABILITY) |          \
     BIT(MD_EL) | BIT(MD_HOMELESS) | BIT(MD_FOSTER) | BIT(MD_MILITARY))
/* Places of a school */
#define D_SCHOOL                                                               \
    (BIT(MD_REGION) | BIT(MD_COUNTY) | BIT(MD_DISTRICT) | BIT(MD_SCHOOL) |     \
     BIT(MD_LOCALE))
/* Places of an institution */
#define D_INST (BIT(MD_REGION) | BIT(MD_COUNTY) | BIT(MD_INSTITUTION))
/* A postsecondary program */
#define D_CIP                                                                  \
    (BIT(MD_CIP2) | BIT(MD_CIP4) | BIT(MD_CIP6) | BIT(MD_AWARD_LEVEL) |        \
     BIT(MD_CLUSTER))
/* A secondary program of study */
#define D_POS (BIT(MD_CLUSTER) | BIT(MD_PROGRAM))
/* Every kind of exiter: HS places and programs, PS places and programs */
#define D_EXIT (D_PERSON | D_SCHOOL | D_INST | D_CIP | D_POS | BIT(MD_EXITER))

#define SEC_CONC (D_PERSON | D_SCHOOL | D_POS | BIT(MD_NONTRAD))
#define PS_CONC (D_PERSON | D_INST | D_CIP | BIT(MD_NONTRAD))

#define EXITERS_EN                                                             \
    "exiters (HS graduates, HS non-completers, PS completers, apprenticeship " \
    "completers)"

#define NOTE_WINDOW                                                            \
    " Counts only exits whose window lies wholly inside the wage data. "       \
    "Each exit of a person counts in its own year (a graduate who later "      \
    "earns a certificate counts twice, in two years, with two places). "       \
    "Place: the exit school for high school exits, the institution for "       \
    "postsecondary exits."

#define NOTE_EMPLOYED                                                          \
    " Employed in a quarter: total UI wages over all employers at least "      \
    "min_quarter_wages (profile; default $1.00); 0-wage rows never count. "    \
    "Wages of people not found in the state's UI records (moved away, "        \
    "self-employed, federal, military) are unknown, not zero."

#define NOTE_OUTCOME                                                           \
    "Categories, first that applies: apprenticeship (any quarter of the "      \
    "year); postsecondary (a non-dual term overlapping the year) and "         \
    "employed; postsecondary only; employed only; in state records but "       \
    "neither (wage rows below the employment rule, or K-12 only); not found "  \
    "in state records (no wage, enrolment or apprenticeship record in the "    \
    "year: moved away, self-employed, federal, military — never counted as " \
    "not working). Employed in the year: at least employed_year_quarters "     \
    "employed quarters and employed_year_wages (profile; default 1 quarter, "  \
    "$0). Year k: the four quarters exit_q+4(k-1)+1 .. exit_q+4k."

#define NOTE_EARN                                                              \
    "Annual earnings: UI wages summed over the four quarters of year k "       \
    "after the exit quarter, all employers, nominal dollars. Only people "     \
    "attached to the workforce count: at least attach_annual_min (profile; "   \
    "default $15,080 = $7.25 x 2,080 h) and at least attach_quarters "         \
    "(default 3) employed quarters, as in the Census PSEO. Percentiles need "  \
    "min_n_percentile people."

#define NOTE_INDUSTRY                                                          \
    "Employed in the year: at least employed_year_quarters employed "          \
    "quarters and employed_year_wages (profile). Main employer: the "          \
    "employer paying the most over the year (ties: the first listed)."

#define NOTE_PERKINS_NONTRAD                                                   \
    " Non-traditional: the program's career cluster is in the profile's "      \
    "[nontraditional] list for the learner's sex; learners whose sex is "      \
    "neither F nor M are outside this indicator."

static const measure_indicator catalog[] = {
    {
        .id = "HS_GRAD4",
        .title_en = "Four-year high school graduation rate",
        .title_es = "Tasa de graduación de la secundaria en cuatro años",
        .explain_en = "Share of a ninth-grade cohort that earned a regular "
                      "or alternate diploma by August 31 of their fourth "
                      "year. Students who moved out of state or died leave "
                      "the cohort.",
        .explain_es = "Porcentaje de una cohorte de noveno grado que obtuvo "
                      "un diploma regular o alternativo a más tardar el 31 "
                      "de agosto de su cuarto año. Los estudiantes que se "
                      "mudaron fuera del estado o fallecieron salen de la "
                      "cohorte.",
        .population = "K-12 four-year cohort",
        .year_means = "cohort year (school year of expected graduation)",
        .stat = MS_RATE,
        .dims = D_PERSON | D_SCHOOL,
        .method_note =
            "Four-year adjusted cohort: cohort_year of the exit record, else "
            "the school year of first grade-9 enrolment + 3; the latest exit "
            "row decides cohort, exit type and school. Numerator: GRAD or "
            "GRAD_ALT dated on or before 31 August of the cohort year (HSE is "
            "not a graduation). Transfers out of state and deaths leave the "
            "cohort. A cohort is reported once the K-12 data reaches its "
            "cohort year. Place: the exit school, or the last school of "
            "students without an exit.",
        .emit = mi_emit_hs_grad4,
    },
    {
        .id = "P5_1S1",
        .title_en = "CTE concentrators: four-year graduation rate",
        .title_es = "Concentradores de CTE: tasa de graduación en cuatro años",
        .explain_en = "Share of secondary career and technical education "
                      "(CTE) concentrators in a four-year cohort who "
                      "graduated on time.",
        .explain_es = "Porcentaje de concentradores de educación técnica y "
                      "profesional (CTE) de secundaria en una cohorte de "
                      "cuatro años que se graduaron a tiempo.",
        .population = "secondary CTE concentrators in the cohort",
        .year_means = "cohort year (school year of expected graduation)",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note =
            "Perkins V 1S1. HS_GRAD4 restricted to CTE concentrators: at least "
            "concentrator_courses (profile; default 2) completed courses in "
            "one program of study. The program is the one with most courses "
            "(ties: the one reached first).",
        .emit = mi_emit_p5_1s1,
    },
    {
        .id = "P5_2S1",
        .title_en = "CTE concentrators proficient in language arts",
        .title_es = "Concentradores de CTE con nivel competente en artes del "
                    "lenguaje",
        .explain_en = "Share of secondary CTE concentrators tested in the "
                      "year who scored proficient on the state English "
                      "language arts assessment.",
        .explain_es = "Porcentaje de concentradores de CTE de secundaria "
                      "evaluados en el año que alcanzaron el nivel "
                      "competente en la prueba estatal de artes del "
                      "lenguaje en inglés.",
        .population = "secondary CTE concentrators tested in ELA in the year",
        .year_means = "school year of the test",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note =
            "Perkins V 2S1. One unit per concentrator and school year with an "
            "ELA test; proficient when any of that year's ELA tests was. "
            "Concentrator status is the learner's (ever a concentrator). "
            "Place: the school attended that school year.",
        .emit = mi_emit_p5_2s,
    },
    {
        .id = "P5_2S2",
        .title_en = "CTE concentrators proficient in mathematics",
        .title_es = "Concentradores de CTE con nivel competente en "
                    "matemáticas",
        .explain_en = "Share of secondary CTE concentrators tested in the "
                      "year who scored proficient on the state mathematics "
                      "assessment.",
        .explain_es = "Porcentaje de concentradores de CTE de secundaria "
                      "evaluados en el año que alcanzaron el nivel "
                      "competente en la prueba estatal de matemáticas.",
        .population = "secondary CTE concentrators tested in math in the year",
        .year_means = "school year of the test",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note =
            "Perkins V 2S2. One unit per concentrator and school year with a "
            "MATH test; proficient when any of that year's MATH tests was. "
            "Place: the school attended that school year.",
        .emit = mi_emit_p5_2s,
    },
    {
        .id = "P5_2S3",
        .title_en = "CTE concentrators proficient in science",
        .title_es = "Concentradores de CTE con nivel competente en ciencias",
        .explain_en = "Share of secondary CTE concentrators tested in the "
                      "year who scored proficient on the state science "
                      "assessment.",
        .explain_es = "Porcentaje de concentradores de CTE de secundaria "
                      "evaluados en el año que alcanzaron el nivel "
                      "competente en la prueba estatal de ciencias.",
        .population = "secondary CTE concentrators tested in science in the "
                      "year",
        .year_means = "school year of the test",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note =
            "Perkins V 2S3. One unit per concentrator and school year with a "
            "SCI test; proficient when any of that year's SCI tests was. "
            "Place: the school attended that school year.",
        .emit = mi_emit_p5_2s,
    },
    {
        .id = "P5_3S1",
        .title_en = "CTE concentrators in education, training or work after "
                    "high school",
        .title_es = "Concentradores de CTE en estudios, formación o empleo "
                    "después de la secundaria",
        .explain_en = "Share of secondary CTE concentrators who left high "
                      "school and, in the second quarter after leaving, were "
                      "enrolled in postsecondary education, in a registered "
                      "apprenticeship or employed.",
        .explain_es = "Porcentaje de concentradores de CTE de secundaria que "
                      "dejaron la escuela y, en el segundo trimestre después "
                      "de salir, estaban inscritos en educación "
                      "postsecundaria, en un programa de aprendizaje "
                      "registrado o empleados.",
        .population = "secondary CTE concentrators who exited (GRAD, "
                      "GRAD_ALT, HSE or DROPOUT)",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note =
            "Perkins V 3S1. The 2nd quarter after the exit quarter: exit_q + "
            "2 (a December exit looks at Q2 of the next year); it must lie "
            "inside the wage data. In postsecondary: a non-dual term "
            "overlapping the quarter. Military service and service programs "
            "are not in the state's records and are not counted." NOTE_EMPLOYED,
        .emit = mi_emit_p5_3s1,
    },
    {
        .id = "P5_4S1",
        .title_en = "CTE concentrators in programs non-traditional for their "
                    "sex",
        .title_es = "Concentradores de CTE en programas no tradicionales para "
                    "su sexo",
        .explain_en = "Share of secondary CTE concentrators whose program "
                      "leads to a field in which their sex is "
                      "under-represented.",
        .explain_es = "Porcentaje de concentradores de CTE de secundaria "
                      "cuyo programa conduce a un campo en el que su sexo "
                      "está subrepresentado.",
        .population = "secondary CTE concentrators",
        .year_means = "concentrator year (school year of the course that made "
                      "the learner a concentrator)",
        .stat = MS_RATE,
        .dims = D_PERSON | D_SCHOOL | D_POS,
        .method_note = "Perkins V 4S1. One unit per concentrator, in the "
                       "school year they became one, at that year's "
                       "school." NOTE_PERKINS_NONTRAD,
        .emit = mi_emit_p5_4s1,
    },
    {
        .id = "P5_5S1",
        .title_en = "CTE graduates with an industry credential",
        .title_es = "Graduados de CTE con una credencial de la industria",
        .explain_en = "Share of secondary CTE concentrators who graduated "
                      "and earned an industry-recognized credential before "
                      "graduating.",
        .explain_es = "Porcentaje de concentradores de CTE graduados que "
                      "obtuvieron una credencial reconocida por la industria "
                      "antes de graduarse.",
        .population = "secondary CTE concentrators who graduated",
        .year_means = "exit year (calendar year of graduation)",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note = "Perkins V 5S1. Graduated: GRAD or GRAD_ALT (on time "
                       "or not). Credential: any k12_credentials row dated on "
                       "or before the exit date. Place: the exit school.",
        .emit = mi_emit_p5_5s,
    },
    {
        .id = "P5_5S2",
        .title_en = "CTE graduates with college credit",
        .title_es = "Graduados de CTE con créditos universitarios",
        .explain_en = "Share of secondary CTE concentrators who graduated "
                      "and earned postsecondary credits through dual "
                      "enrolment while in high school.",
        .explain_es = "Porcentaje de concentradores de CTE graduados que "
                      "obtuvieron créditos postsecundarios mediante "
                      "inscripción doble durante la secundaria.",
        .population = "secondary CTE concentrators who graduated",
        .year_means = "exit year (calendar year of graduation)",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note = "Perkins V 5S2. Dual credit: a dual-enrolment "
                       "postsecondary term with credits earned. Place: the "
                       "exit school.",
        .emit = mi_emit_p5_5s,
    },
    {
        .id = "P5_5S3",
        .title_en = "CTE graduates with work-based learning",
        .title_es = "Graduados de CTE con aprendizaje basado en el trabajo",
        .explain_en = "Share of secondary CTE concentrators who graduated "
                      "and completed work-based learning (internship, "
                      "apprenticeship, clinical, co-op or school "
                      "enterprise).",
        .explain_es = "Porcentaje de concentradores de CTE graduados que "
                      "completaron aprendizaje basado en el trabajo "
                      "(pasantía, aprendizaje, práctica clínica, programa "
                      "cooperativo o empresa escolar).",
        .population = "secondary CTE concentrators who graduated",
        .year_means = "exit year (calendar year of graduation)",
        .stat = MS_RATE,
        .dims = SEC_CONC,
        .method_note = "Perkins V 5S3. Work-based learning: a k12_wbl row "
                       "marked completed. Place: the exit school.",
        .emit = mi_emit_p5_5s,
    },
    {
        .id = "P5_1P1",
        .title_en = "Postsecondary CTE concentrators in education, training "
                    "or work after leaving",
        .title_es = "Concentradores de CTE postsecundarios en estudios, "
                    "formación o empleo después de salir",
        .explain_en = "Share of postsecondary CTE concentrators who "
                      "completed or left college and, in the second quarter "
                      "after, were enrolled, in an apprenticeship or "
                      "employed.",
        .explain_es = "Porcentaje de concentradores de CTE postsecundarios "
                      "que terminaron o dejaron sus estudios y, en el "
                      "segundo trimestre después, estaban inscritos, en un "
                      "programa de aprendizaje o empleados.",
        .population = "postsecondary CTE concentrators who completed or left",
        .year_means = "exit year (calendar year of the award or of leaving)",
        .stat = MS_RATE,
        .dims = PS_CONC | BIT(MD_EXITER),
        .method_note =
            "Perkins V 1P1. Concentrator: at least ps_concentrator_credits "
            "(profile; default 12) credits earned in one CTE program, or a "
            "CTE award in it. One unit per postsecondary exit (completion or "
            "leaving) of a concentrator; the 2nd quarter after the exit "
            "quarter must lie inside the wage data. Place and program: the "
            "exit's institution, CIP and award level." NOTE_EMPLOYED,
        .emit = mi_emit_p5_1p1,
    },
    {
        .id = "P5_2P1",
        .title_en = "Postsecondary CTE concentrators earning a credential",
        .title_es = "Concentradores de CTE postsecundarios que obtienen una "
                    "credencial",
        .explain_en = "Share of postsecondary CTE concentrators who earned a "
                      "certificate or degree while in their program or "
                      "within a year after leaving it.",
        .explain_es = "Porcentaje de concentradores de CTE postsecundarios "
                      "que obtuvieron un certificado o título durante su "
                      "programa o dentro del año siguiente a su salida.",
        .population = "postsecondary CTE concentrators",
        .year_means = "year of the last quarter enrolled in the program",
        .stat = MS_RATE,
        .dims = PS_CONC,
        .method_note =
            "Perkins V 2P1. Any award (ps_completions, any level and "
            "institution) dated from the first quarter in the program to four "
            "quarters after the last. Counted once those four quarters lie "
            "inside the postsecondary data. Award level: the level sought in "
            "the program.",
        .emit = mi_emit_p5_2p1,
    },
    {
        .id = "P5_3P1",
        .title_en = "Postsecondary CTE concentrators in programs "
                    "non-traditional for their sex",
        .title_es = "Concentradores de CTE postsecundarios en programas no "
                    "tradicionales para su sexo",
        .explain_en = "Share of postsecondary CTE concentrators whose "
                      "program leads to a field in which their sex is "
                      "under-represented.",
        .explain_es = "Porcentaje de concentradores de CTE postsecundarios "
                      "cuyo programa conduce a un campo en el que su sexo "
                      "está subrepresentado.",
        .population = "postsecondary CTE concentrators",
        .year_means = "year of the last quarter enrolled in the program",
        .stat = MS_RATE,
        .dims = PS_CONC,
        .method_note =
            "Perkins V 3P1. The program's career cluster comes from its CIP "
            "(a CIP-family-to-cluster table, docs/indicators.md); programs "
            "whose CIP maps to no cluster are outside." NOTE_PERKINS_NONTRAD,
        .emit = mi_emit_p5_3p1,
    },
    {
        .id = "EMP_Q2",
        .title_en = "Employed in the second quarter after exit",
        .title_es = "Empleo en el segundo trimestre después de la salida",
        .explain_en = "Share of people who left high school, college or an "
                      "apprenticeship who earned wages in the state in the "
                      "second quarter after the quarter they left.",
        .explain_es = "Porcentaje de personas que dejaron la secundaria, la "
                      "educación postsecundaria o un programa de aprendizaje "
                      "y que percibieron salarios en el estado en el "
                      "segundo trimestre después del trimestre de su salida.",
        .population = EXITERS_EN,
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_RATE,
        .dims = D_EXIT,
        .method_note = "Quarter: exit_q + 2, where exit_q holds the exit date "
                       "(an exit in Q4 looks at Q2 of the next "
                       "year)." NOTE_EMPLOYED NOTE_WINDOW,
        .emit = mi_emit_emp_q,
    },
    {
        .id = "EMP_Q4",
        .title_en = "Employed in the fourth quarter after exit",
        .title_es = "Empleo en el cuarto trimestre después de la salida",
        .explain_en = "Share of people who left high school, college or an "
                      "apprenticeship who earned wages in the state in the "
                      "fourth quarter after the quarter they left.",
        .explain_es = "Porcentaje de personas que dejaron la secundaria, la "
                      "educación postsecundaria o un programa de aprendizaje "
                      "y que percibieron salarios en el estado en el cuarto "
                      "trimestre después del trimestre de su salida.",
        .population = EXITERS_EN,
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_RATE,
        .dims = D_EXIT,
        .method_note = "Quarter: exit_q + 4, the same quarter of the next "
                       "year." NOTE_EMPLOYED NOTE_WINDOW,
        .emit = mi_emit_emp_q,
    },
    {
        .id = "MED_EARN_Q2",
        .title_en = "Median earnings in the second quarter after exit",
        .title_es = "Ingresos medianos en el segundo trimestre después de la "
                    "salida",
        .explain_en = "The middle value of the quarter's wages of people "
                      "employed in the second quarter after they left "
                      "school, college or an apprenticeship.",
        .explain_es = "El valor central de los salarios del trimestre de las "
                      "personas empleadas en el segundo trimestre después de "
                      "dejar la escuela, la educación postsecundaria o un "
                      "programa de aprendizaje.",
        .population = "exiters employed in Q2",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_PERCENTILE,
        .dims = D_EXIT,
        .method_note = "Wages of quarter exit_q + 2 summed over all "
                       "employers, nominal dollars, for exiters employed in "
                       "that quarter. Medians need min_n_percentile "
                       "people." NOTE_EMPLOYED NOTE_WINDOW,
        .emit = mi_emit_med_earn_q2,
    },
    {
        .id = "OUTCOME_Y1",
        .title_en = "What people do in the first year after exit",
        .title_es = "Qué hacen las personas en el primer año después de la "
                    "salida",
        .explain_en = "Everyone who left in the year, in the first of six "
                      "groups that applies during the first year after exit: "
                      "apprenticeship, college and work, college only, work "
                      "only, in state records but neither, not found in "
                      "state records.",
        .explain_es = "Todas las personas que salieron en el año, en el "
                      "primero de seis grupos que les corresponde durante el "
                      "primer año después de la salida: aprendizaje, "
                      "estudios y trabajo, solo estudios, solo trabajo, en "
                      "los registros estatales pero en ninguno de los "
                      "anteriores, no encontradas en los registros "
                      "estatales.",
        .population = EXITERS_EN " with year 1 fully inside the wage data",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_SHARE,
        .dims = D_EXIT,
        .method_note = NOTE_OUTCOME NOTE_WINDOW,
        .emit = mi_emit_outcome,
        .category_label = mi_label_outcome,
    },
    {
        .id = "OUTCOME_Y3",
        .title_en = "What people do in the third year after exit",
        .title_es = "Qué hacen las personas en el tercer año después de la "
                    "salida",
        .explain_en = "Everyone who left in the year, in the first of six "
                      "groups that applies during the third year after "
                      "exit: apprenticeship, college and work, college only, "
                      "work only, in state records but neither, not found in "
                      "state records.",
        .explain_es = "Todas las personas que salieron en el año, en el "
                      "primero de seis grupos que les corresponde durante el "
                      "tercer año después de la salida: aprendizaje, "
                      "estudios y trabajo, solo estudios, solo trabajo, en "
                      "los registros estatales pero en ninguno de los "
                      "anteriores, no encontradas en los registros "
                      "estatales.",
        .population = EXITERS_EN " with year 3 fully inside the wage data",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_SHARE,
        .dims = D_EXIT,
        .method_note = NOTE_OUTCOME NOTE_WINDOW,
        .emit = mi_emit_outcome,
        .category_label = mi_label_outcome,
    },
    {
        .id = "OUTCOME_Y5",
        .title_en = "What people do in the fifth year after exit",
        .title_es = "Qué hacen las personas en el quinto año después de la "
                    "salida",
        .explain_en = "Everyone who left in the year, in the first of six "
                      "groups that applies during the fifth year after exit: "
                      "apprenticeship, college and work, college only, work "
                      "only, in state records but neither, not found in "
                      "state records.",
        .explain_es = "Todas las personas que salieron en el año, en el "
                      "primero de seis grupos que les corresponde durante el "
                      "quinto año después de la salida: aprendizaje, "
                      "estudios y trabajo, solo estudios, solo trabajo, en "
                      "los registros estatales pero en ninguno de los "
                      "anteriores, no encontradas en los registros "
                      "estatales.",
        .population = EXITERS_EN " with year 5 fully inside the wage data",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_SHARE,
        .dims = D_EXIT,
        .method_note = NOTE_OUTCOME NOTE_WINDOW,
        .emit = mi_emit_outcome,
        .category_label = mi_label_outcome,
    },
    {
        .id = "OUTCOME_Y10",
        .title_en = "What people do in the tenth year after exit",
        .title_es = "Qué hacen las personas en el décimo año después de la "
                    "salida",
        .explain_en = "Everyone who left in the year, in the first of six "
                      "groups that applies during the tenth year after exit: "
                      "apprenticeship, college and work, college only, work "
                      "only, in state records but neither, not found in "
                      "state records.",
        .explain_es = "Todas las personas que salieron en el año, en el "
                      "primero de seis grupos que les corresponde durante el "
                      "décimo año después de la salida: aprendizaje, "
                      "estudios y trabajo, solo estudios, solo trabajo, en "
                      "los registros estatales pero en ninguno de los "
                      "anteriores, no encontradas en los registros "
                      "estatales.",
        .population = EXITERS_EN " with year 10 fully inside the wage data",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_SHARE,
        .dims = D_EXIT,
        .method_note = NOTE_OUTCOME NOTE_WINDOW,
        .emit = mi_emit_outcome,
        .category_label = mi_label_outcome,
    },
    {
        .id = "EARN_Y1",
        .title_en = "Earnings in the first year after exit",
        .title_es = "Ingresos en el primer año después de la salida",
        .explain_en = "Annual earnings (25th percentile, median, 75th "
                      "percentile) in the first year after exit of college "
                      "completers and high school graduates who worked most "
                      "of the year.",
        .explain_es = "Ingresos anuales (percentil 25, mediana, percentil "
                      "75) en el primer año después de la salida de los "
                      "titulados postsecundarios y graduados de secundaria "
                      "que trabajaron la mayor parte del año.",
        .population = "PS completers and HS graduates attached in year 1",
        .year_means = "exit year (calendar year of the award or graduation)",
        .stat = MS_PERCENTILE,
        .dims = D_EXIT,
        .method_note = NOTE_EARN NOTE_WINDOW,
        .emit = mi_emit_earn,
    },
    {
        .id = "EARN_Y5",
        .title_en = "Earnings in the fifth year after exit",
        .title_es = "Ingresos en el quinto año después de la salida",
        .explain_en = "Annual earnings (25th percentile, median, 75th "
                      "percentile) in the fifth year after exit of college "
                      "completers and high school graduates who worked most "
                      "of the year.",
        .explain_es = "Ingresos anuales (percentil 25, mediana, percentil "
                      "75) en el quinto año después de la salida de los "
                      "titulados postsecundarios y graduados de secundaria "
                      "que trabajaron la mayor parte del año.",
        .population = "PS completers and HS graduates attached in year 5",
        .year_means = "exit year (calendar year of the award or graduation)",
        .stat = MS_PERCENTILE,
        .dims = D_EXIT,
        .method_note = NOTE_EARN NOTE_WINDOW,
        .emit = mi_emit_earn,
    },
    {
        .id = "EARN_Y10",
        .title_en = "Earnings in the tenth year after exit",
        .title_es = "Ingresos en el décimo año después de la salida",
        .explain_en = "Annual earnings (25th percentile, median, 75th "
                      "percentile) in the tenth year after exit of college "
                      "completers and high school graduates who worked most "
                      "of the year.",
        .explain_es = "Ingresos anuales (percentil 25, mediana, percentil "
                      "75) en el décimo año después de la salida de los "
                      "titulados postsecundarios y graduados de secundaria "
                      "que trabajaron la mayor parte del año.",
        .population = "PS completers and HS graduates attached in year 10",
        .year_means = "exit year (calendar year of the award or graduation)",
        .stat = MS_PERCENTILE,
        .dims = D_EXIT,
        .method_note = NOTE_EARN NOTE_WINDOW,
        .emit = mi_emit_earn,
    },
    {
        .id = "INDUSTRY_Y1",
        .title_en = "Industry of work in the first year after exit",
        .title_es = "Sector de actividad del empleo en el primer año después "
                    "de la salida",
        .explain_en = "How people employed in the first year after exit "
                      "divide among industries, by the sector of the "
                      "employer that paid them the most.",
        .explain_es = "Cómo se reparten entre sectores de actividad las "
                      "personas empleadas en el primer año después de la "
                      "salida, según el sector del empleador que más les "
                      "pagó.",
        .population = "exiters employed in year 1",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_SHARE,
        .dims = D_EXIT,
        .method_note =
            NOTE_INDUSTRY " Sector: the first two digits of the main "
                          "employer's NAICS code, with 31-33, 44-45 and "
                          "48-49 each as one sector." NOTE_WINDOW,
        .emit = mi_emit_industry,
        .category_label = mi_label_sector,
    },
    {
        .id = "INDUSTRY_Y5",
        .title_en = "Industry of work in the fifth year after exit",
        .title_es = "Sector de actividad del empleo en el quinto año después "
                    "de la salida",
        .explain_en = "How people employed in the fifth year after exit "
                      "divide among industries, by the sector of the "
                      "employer that paid them the most.",
        .explain_es = "Cómo se reparten entre sectores de actividad las "
                      "personas empleadas en el quinto año después de la "
                      "salida, según el sector del empleador que más les "
                      "pagó.",
        .population = "exiters employed in year 5",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_SHARE,
        .dims = D_EXIT,
        .method_note =
            NOTE_INDUSTRY " Sector: the first two digits of the main "
                          "employer's NAICS code, with 31-33, 44-45 and "
                          "48-49 each as one sector." NOTE_WINDOW,
        .emit = mi_emit_industry,
        .category_label = mi_label_sector,
    },
    {
        .id = "HOME_REGION_Y1",
        .title_en = "Working in the home region in the first year after exit",
        .title_es = "Trabajo en la región de origen en el primer año después "
                    "de la salida",
        .explain_en = "Share of people employed in the first year after "
                      "exit whose main employer is in the same workforce "
                      "region as the school or college they left.",
        .explain_es = "Porcentaje de personas empleadas en el primer año "
                      "después de la salida cuyo empleador principal está en "
                      "la misma región laboral que la escuela o institución "
                      "de la que salieron.",
        .population = "exiters employed in year 1",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_RATE,
        .dims = D_EXIT,
        .method_note =
            NOTE_INDUSTRY " Home region: the workforce region of the exit "
                          "school (HS exits) or institution (PS exits), for "
                          "apprenticeship completers of the home county; "
                          "place of work: the main employer's county. "
                          "Regions: the profile's [regions], default one per "
                          "commuting zone. Exits with either region unknown "
                          "are left out." NOTE_WINDOW,
        .emit = mi_emit_home_region,
    },
    {
        .id = "HOME_REGION_Y5",
        .title_en = "Working in the home region in the fifth year after exit",
        .title_es = "Trabajo en la región de origen en el quinto año después "
                    "de la salida",
        .explain_en = "Share of people employed in the fifth year after "
                      "exit whose main employer is in the same workforce "
                      "region as the school or college they left.",
        .explain_es = "Porcentaje de personas empleadas en el quinto año "
                      "después de la salida cuyo empleador principal está en "
                      "la misma región laboral que la escuela o institución "
                      "de la que salieron.",
        .population = "exiters employed in year 5",
        .year_means = "exit year (calendar year of the exit date)",
        .stat = MS_RATE,
        .dims = D_EXIT,
        .method_note =
            NOTE_INDUSTRY " Home region: the workforce region of the exit "
                          "school (HS exits) or institution (PS exits), for "
                          "apprenticeship completers of the home county; "
                          "place of work: the main employer's county. "
                          "Exits with either region unknown are left "
                          "out." NOTE_WINDOW,
        .emit = mi_emit_home_region,
    },
    {
        .id = "EMP_WHILE_HS",
        .title_en = "High school juniors and seniors working during the "
                    "school year",
        .title_es = "Estudiantes de 11.º y 12.º grado que trabajan durante el "
                    "año escolar",
        .explain_en = "Share of students enrolled in grade 11 or 12 who were "
                      "employed in at least one quarter of the school year.",
        .explain_es = "Porcentaje de estudiantes inscritos en 11.º o 12.º "
                      "grado que tuvieron empleo en al menos un trimestre "
                      "del año escolar.",
        .population = "grade 11-12 enrolees",
        .year_means = "school year (named by the calendar year it ends in)",
        .stat = MS_RATE,
        .dims = D_PERSON | D_SCHOOL,
        .method_note = "One unit per student and school year with a grade 11 "
                       "or 12 enrolment. School year Y: Q3 of Y-1 to Q2 of Y "
                       "(summer jobs before the senior year count in it); "
                       "all four quarters must lie inside the wage data. "
                       "Place: that year's school." NOTE_EMPLOYED,
        .emit = mi_emit_emp_while_hs,
    },
    {
        .id = "WBL_OUTCOMES_EMP_Q2",
        .title_en = "Employment after high school, by work-based learning",
        .title_es = "Empleo después de la secundaria, según el aprendizaje "
                    "basado en el trabajo",
        .explain_en = "Share of high school graduates employed in the "
                      "second quarter after graduating, for graduates with "
                      "and without work-based learning, and by type.",
        .explain_es = "Porcentaje de graduados de secundaria empleados en el "
                      "segundo trimestre después de graduarse, con y sin "
                      "aprendizaje basado en el trabajo, y por tipo.",
        .population = "HS graduates, split by WBL participation and type",
        .year_means = "exit year (calendar year of graduation)",
        .stat = MS_RATE,
        .dims = D_PERSON | D_SCHOOL | D_POS | BIT(MD_WBL),
        .required_dims = BIT(MD_WBL),
        .method_note =
            "EMP_Q2 of HS graduates, split by completed work-based learning: "
            "none, any, and each type. A graduate with two types counts under "
            "each, so the split has no total: every cell carries the wbl "
            "dimension." NOTE_EMPLOYED NOTE_WINDOW,
        .emit = mi_emit_wbl,
    },
    {
        .id = "WBL_OUTCOMES_EARN_Y1",
        .title_en = "First-year earnings after high school, by work-based "
                    "learning",
        .title_es = "Ingresos del primer año después de la secundaria, según "
                    "el aprendizaje basado en el trabajo",
        .explain_en = "Annual earnings in the first year after graduation "
                      "of high school graduates who worked most of the year, "
                      "for graduates with and without work-based learning, "
                      "and by type.",
        .explain_es = "Ingresos anuales en el primer año después de la "
                      "graduación de los graduados de secundaria que "
                      "trabajaron la mayor parte del año, con y sin "
                      "aprendizaje basado en el trabajo, y por tipo.",
        .population = "HS graduates attached in year 1, split by WBL "
                      "participation and type",
        .year_means = "exit year (calendar year of graduation)",
        .stat = MS_PERCENTILE,
        .dims = D_PERSON | D_SCHOOL | D_POS | BIT(MD_WBL),
        .required_dims = BIT(MD_WBL),
        .method_note =
            "EARN_Y1 of HS graduates, split by completed work-based learning: "
            "none, any, and each type; every cell carries the wbl "
            "dimension." NOTE_EARN NOTE_WINDOW,
        .emit = mi_emit_wbl,
    },
    {
        .id = "OPP_YOUTH",
        .title_en = "Opportunity youth: 16 to 24, not in school and not "
                    "working",
        .title_es = "Jóvenes de 16 a 24 años que no estudian ni trabajan",
        .explain_en = "Number and share of residents aged 16 to 24 seen in "
                      "state records who, in the quarter, were not enrolled "
                      "in school or college, not in an apprenticeship and "
                      "not employed.",
        .explain_es = "Número y porcentaje de residentes de 16 a 24 años "
                      "presentes en los registros estatales que, en el "
                      "trimestre, no estaban inscritos en la escuela ni en "
                      "la educación postsecundaria, ni en un programa de "
                      "aprendizaje, ni empleados.",
        .population = "residents aged 16-24 seen in state records",
        .year_means = "calendar year of the quarter (every cell is one "
                      "quarter)",
        .stat = MS_RATE,
        .dims = D_PERSON | BIT(MD_REGION) | BIT(MD_COUNTY) | BIT(MD_QUARTER),
        .required_dims = BIT(MD_QUARTER),
        .method_note =
            "One unit per person and quarter of the wage data. Age at the "
            "quarter's first day from birth year and month. Resident: the "
            "county of the last K-12 school, else of the last institution. "
            "Seen in state records: any wage row, K-12 enrolment, "
            "postsecondary term or apprenticeship within 4 quarters of the "
            "quarter (people who left the state drop out). Opportunity "
            "youth: no K-12 or postsecondary enrolment (dual included), no "
            "apprenticeship, not employed in the quarter. The count is the "
            "numerator." NOTE_EMPLOYED,
        .emit = mi_emit_opp_youth,
    },
    {
        .id = "PS_COMPLETE_150",
        .title_en = "College completion within 150% of normal time",
        .title_es = "Finalización de estudios postsecundarios dentro del "
                    "150 % del tiempo normal",
        .explain_en = "Share of first-time college entrants who earned a "
                      "certificate or degree within one and a half times the "
                      "normal length of the program they started: 1.5 years "
                      "for a certificate, 3 for an associate degree, 6 for a "
                      "bachelor's.",
        .explain_es = "Porcentaje de estudiantes que ingresan por primera "
                      "vez a la educación postsecundaria y obtienen un "
                      "certificado o título dentro de una vez y media la "
                      "duración normal del programa que iniciaron: 1,5 años "
                      "para un certificado, 3 para un título asociado y 6 "
                      "para una licenciatura.",
        .population = "first-time PS entrants seeking a certificate, "
                      "associate or bachelor's degree",
        .year_means = "entry year (academic year of the first term, named by "
                      "the calendar year it ends in)",
        .stat = MS_RATE,
        .dims = D_PERSON | D_INST | D_CIP,
        .method_note =
            "Normal time: certificate 1 year, associate 2, bachelor's 4; "
            "150%: 6, 12 and 24 quarters from the entry quarter. Level: "
            "sought in the first non-dual term. Completion: any award at any "
            "institution of the state dated in the window (transfers who "
            "complete elsewhere in the state count; out of state they do "
            "not). An entry year counts only when the window of its latest "
            "entrants (Q2 of the entry year) ends inside the postsecondary "
            "data, and not in the first year of that data. Place: the entry "
            "institution.",
        .emit = mi_emit_ps_complete_150,
    },
    {
        .id = "SUPPLY_DEMAND",
        .title_en = "Graduates by occupation, next to projected job openings",
        .title_es = "Titulados por ocupación, junto a las vacantes "
                    "proyectadas",
        .explain_en = "College completers of each year, assigned to the "
                      "occupations their program prepares for, to set "
                      "beside the projected yearly job openings and median "
                      "wage of those occupations.",
        .explain_es = "Titulados postsecundarios de cada año, asignados a "
                      "las ocupaciones para las que prepara su programa, "
                      "para compararlos con las vacantes anuales proyectadas "
                      "y el salario mediano de esas ocupaciones.",
        .population = "PS completers (awards by CIP, linked to SOC "
                      "occupations through the NCES/BLS crosswalk)",
        .year_means = "award year",
        .stat = MS_SHARE,
        .dims = D_PERSON | D_INST | D_CIP,
        .method_note =
            "Category: the SOC occupation. A CIP linked to several "
            "occupations splits its completers in proportion to the "
            "occupations' projected annual openings (BLS Employment "
            "Projections 2024-34, national), in whole people by largest "
            "remainder within each award year and CIP; CIPs with no "
            "projected occupation (military, no match) go to 'No projected "
            "occupation'. Statewide counts per occupation are exact to the "
            "rounding; below the state the occupation is an allocation. "
            "Openings and median wages come from the projections, not from "
            "the cells.",
        .emit = mi_emit_supply_demand,
        .category_label = mi_label_soc,
    },
    {
        .id = "CRED_OF_VALUE",
        .title_en = "Credentials of value",
        .title_es = "Credenciales de valor",
        .explain_en = "College programs (institution, award level and field "
                      "of study) whose completers' median first-year "
                      "earnings reach the value threshold and that prepare "
                      "for at least one occupation in demand.",
        .explain_es = "Programas postsecundarios (institución, nivel del "
                      "título y campo de estudio) cuyos titulados alcanzan "
                      "con su ingreso mediano del primer año el umbral de "
                      "valor y que preparan para al menos una ocupación con "
                      "demanda.",
        .population = "PS programs (institution x award level x CIP)",
        .year_means = "award year",
        .stat = MS_FLAG,
        .dims = D_INST | D_CIP,
        .method_note =
            "Per program and award year: the median EARN_Y1 of its "
            "completers attached in year 1 is at least value_wage (profile; "
            "0 = the median EARN_Y1 of all attached earners of that year, "
            "PS completers and HS graduates) and its CIP links to an "
            "occupation in demand: more projected annual openings and faster "
            "projected growth than the median occupation (BLS 2024-34). "
            "Programs with fewer than min_n_percentile attached completers "
            "are not rated. The unit's value is the program median; cells "
            "above the program level give the share of programs of value.",
        .emit = mi_emit_cred_of_value,
    },
};

const measure_indicator *measure_catalog(size_t *count)
{
    *count = sizeof catalog / sizeof catalog[0];
    return catalog;
}

const measure_indicator *measure_find(const char *id)
{
    for (size_t i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (strcmp(catalog[i].id, id) == 0)
            return &catalog[i];
    return NULL;
}
