/*
 * date.c — day numbers, strict date and quarter parsing.
 *
 * Day numbers use the usual era-based civil calendar arithmetic (400-year
 * eras of 146097 days), exact for the whole proleptic Gregorian calendar.
 */
#include "util/date.h"

#include <assert.h>
#include <string.h>
#include <time.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int date_is_valid(int y, int m, int d)
{
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= days_in_month(y, m);
}

int32_t date_from_ymd(int y, int m, int d)
{
    assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                         /* [0, 399] */
    int mp = (m + 9) % 12;                           /* March = 0 */
    int doy = (153 * mp + 2) / 5 + d - 1;            /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    int yy = yoe + era * 400 + (mm <= 2);
    if (y != NULL)
        *y = yy;
    if (m != NULL)
        *m = mm;
    if (d != NULL)
        *d = dd;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Writes the last n decimal digits of v (v >= 0), zero-padded. */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

p20w_status date_parse(const char *s, size_t len, int32_t *days)
{
    int y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return P20W_EFORMAT;
    if (!date_is_valid(y, m, d))
        return P20W_EINVAL;
    *days = date_from_ymd(y, m, d);
    return P20W_OK;
}

void date_format(int32_t days, char out[11])
{
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

int date_age_on(int32_t birth, int32_t on)
{
    int by, bm, bd, y, m, d;
    date_to_ymd(birth, &by, &bm, &bd);
    date_to_ymd(on, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

int32_t date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL)
        return 0;
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void date_now_iso(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        memcpy(out, "1970-01-01T00:00:00Z", 21);
}

int date_quarter_idx(int32_t days)
{
    int y, m;
    date_to_ymd(days, &y, &m, NULL);
    return 4 * y + (m - 1) / 3;
}

p20w_status quarter_parse(const char *s, size_t len, int *quarter_idx)
{
    int y, q;
    if (len != 6 || s[4] != 'Q' || !digits(s, 4, &y) || !digits(s + 5, 1, &q))
        return P20W_EFORMAT;
    if (q < 1 || q > 4 || y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
        return P20W_EINVAL;
    *quarter_idx = 4 * y + q - 1;
    return P20W_OK;
}

int quarter_year(int quarter_idx)
{
    return quarter_idx / 4;
}

int quarter_num(int quarter_idx)
{
    return quarter_idx % 4 + 1;
}

void quarter_format(int quarter_idx, char out[7])
{
    put_digits(out, quarter_year(quarter_idx), 4);
    out[4] = 'Q';
    out[5] = (char)('0' + quarter_num(quarter_idx));
    out[6] = '\0';
}

int32_t quarter_first_day(int quarter_idx)
{
    return date_from_ymd(quarter_year(quarter_idx),
                         (quarter_num(quarter_idx) - 1) * 3 + 1, 1);
}

int32_t quarter_last_day(int quarter_idx)
{
    return quarter_first_day(quarter_idx + 1) - 1;
}
