/*
 * pair.c — the comparison vector of two records.
 *
 * Levels per field (linkInt.h lists them): names by Jaro–Winkler with a
 * nickname level for given names and a surname-part level for hyphenated or
 * compound surnames with a part dropped; a wage record's given name that is
 * only an initial agrees at the JW88 level when the initials match. Names
 * are also read first/last swapped and the better reading kept.
 */
#include "link/linkInt.h"

#include <math.h>
#include <string.h>

#include "link/compare.h"
#include "link/normalize.h"

const int link_field_levels[F_COUNT] = {7, 6, 5, 2, 4, 2};
const char *const link_field_names[F_COUNT] = {
    "first_name", "last_name", "birth_date", "sex", "ssn", "zip"};

enum { L_DIFF = 0, L_JW70, L_JW88, L_SPECIAL, L_JW92, L_EXACT };

/* Given names have one more level, below the rest: only the initials
 * could be compared, and they agree. */
enum { FL_DIFF = 0, FL_INITIAL, FL_JW70, FL_JW88, FL_NICK, FL_JW92, FL_EXACT };

/* Maps a surname-style level (L_*) of a given name to its FL_* level. */
static int first_from_last_level(int lv)
{
    return lv <= L_DIFF ? lv : lv + 1;
}

static int jw_level(const char *a, const char *b)
{
    switch (link_cmp_name_jw(a, b)) {
    case LINK_NAME_EXACT:
        return L_EXACT;
    case LINK_NAME_JW92:
        return L_JW92;
    case LINK_NAME_JW88:
        return L_JW88;
    case LINK_NAME_JW70:
        return L_JW70;
    case LINK_NAME_DIFF:
        return L_DIFF;
    default:
        return LINK_MISSING;
    }
}

static int first_level(const link_set *set, const char *af, int a_init,
                       const char *bf, int b_init)
{
    if (af[0] == '\0' || bf[0] == '\0')
        return LINK_MISSING;
    if (a_init || b_init)
        return af[0] == bf[0] ? FL_INITIAL : FL_DIFF;
    int lv = jw_level(af, bf);
    if (lv >= L_JW92)
        return first_from_last_level(lv);
    if (set->nick != NULL && link_nicknames_equiv(set->nick, af, bf))
        return FL_NICK;
    /* "MARY ANN" vs "MARY": the first words agree. */
    const char *pa[1], *pb[1];
    size_t la[1], lb[1];
    size_t na = link_name_parts(af, pa, la, 1);
    size_t nb = link_name_parts(bf, pb, lb, 1);
    if ((na > 1 || nb > 1) && na > 0 && nb > 0 && la[0] == lb[0] && la[0] > 1 &&
        memcmp(pa[0], pb[0], la[0]) == 0)
        return FL_JW92;
    return first_from_last_level(lv);
}

/* 1 when some part of one surname equals some part of the other. */
static int part_match(const char *a, const char *b)
{
    const char *pa[6], *pb[6];
    size_t la[6], lb[6];
    size_t na = link_name_parts(a, pa, la, 6),
           nb = link_name_parts(b, pb, lb, 6);
    if (na > 6)
        na = 6;
    if (nb > 6)
        nb = 6;
    if (na < 2 && nb < 2)
        return 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (la[i] == lb[j] && la[i] > 1 && memcmp(pa[i], pb[j], la[i]) == 0)
                return 1;
    return 0;
}

static int last_level(const char *a, const char *asq, const char *b,
                      const char *bsq)
{
    if (a[0] == '\0' || b[0] == '\0')
        return LINK_MISSING;
    if (strcmp(asq, bsq) == 0)
        return L_EXACT;
    int lv = jw_level(asq, bsq);
    if (lv >= L_JW92)
        return lv;
    if (part_match(a, b))
        return L_SPECIAL;
    return lv;
}

static int score(int lv)
{
    return lv == LINK_MISSING ? 0 : lv;
}

void link_compare(const link_set *set, const lrec *a, const lrec *b,
                  int lv[F_COUNT])
{
    int f = first_level(set, a->first, a->first_initial_only, b->first,
                        b->first_initial_only);
    int l = last_level(a->last, a->last_sq, b->last, b->last_sq);
    if ((f == L_DIFF || l == L_DIFF) && !a->first_initial_only &&
        !b->first_initial_only) {
        /* Read one record's names swapped. */
        char fsq[LINK_NAME_MAX];
        link_name_squash(b->first, fsq);
        int sf = first_from_last_level(jw_level(a->first, b->last));
        int sl = last_level(a->last, a->last_sq, b->first, fsq);
        if (sf >= FL_JW92 && sl >= L_JW92 &&
            score(sf) + score(sl) > score(f) + score(l)) {
            f = sf;
            l = sl;
        }
    }
    lv[F_FIRST] = f;
    lv[F_LAST] = l;
    lv[F_DOB] = link_cmp_dob(a->dob, b->dob);
    lv[F_SEX] = (a->sex == 0 || b->sex == 0) ? LINK_MISSING : a->sex == b->sex;
    lv[F_SSN] =
        (a->ssn[0] && b->ssn[0]) ? link_cmp_ssn(a->ssn, b->ssn) : LINK_MISSING;
    lv[F_ZIP] =
        (a->zip[0] && b->zip[0]) ? strcmp(a->zip, b->zip) == 0 : LINK_MISSING;
}

double link_tf_adjust(const link_set *set, const lrec *a, double u_exact)
{
    void *v = NULL;
    if (set->surname_total == 0 || u_exact <= 0 ||
        !hmap_get_str(set->surname_freq, a->last_sq, &v))
        return 0;
    double f = (double)(uintptr_t)v / (double)set->surname_total;
    double adj = log2(u_exact / f);
    /* Bounded: a name seen once in a small file says less than its
     * frequency suggests. */
    if (adj > 4)
        adj = 4;
    if (adj < -4)
        adj = -4;
    return adj;
}
