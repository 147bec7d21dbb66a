/*
 * i18n.c — per-thread language switching over glibc gettext (i18n.h).
 *
 * The Spanish locale needs es_ES.UTF-8 (or another Spanish UTF-8 locale)
 * installed: glibc's gettext finds the catalog through the LC_MESSAGES
 * name of the thread's locale. English needs nothing: the msgids are
 * English and the "C" locale returns them as they are.
 */
#include "serve/i18n.h"

#include <string.h>

#include "serve/serveInt.h"
#include "util/log.h"

static locale_t make_es(void)
{
    static const char *const names[] = {"es_ES.UTF-8", "es_ES.utf8",
                                        "es_MX.UTF-8", "es_US.UTF-8", "es_ES"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        locale_t base = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        if (base == (locale_t)0)
            return (locale_t)0;
        locale_t l = newlocale(LC_MESSAGES_MASK, names[i], base);
        if (l != (locale_t)0)
            return l;
        freelocale(base);
    }
    return (locale_t)0;
}

p20w_status serve_i18n_init(serve_app *app, const char *dir, p20w_err *err)
{
    if (bindtextdomain(SERVE_TEXT_DOMAIN, dir) == NULL ||
        bind_textdomain_codeset(SERVE_TEXT_DOMAIN, "UTF-8") == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    app->loc_en = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (app->loc_en == (locale_t)0)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    app->loc_es = make_es();
    if (app->loc_es == (locale_t)0) {
        log_warn("serve: no Spanish locale (es_ES.UTF-8) is installed; "
                 "Spanish pages will show English text (scripts/bootstrap "
                 "generates it)");
        return P20W_OK;
    }
    if (!serve_i18n_has_es(app))
        log_warn("serve: no Spanish catalog in %s (run make); Spanish pages "
                 "will show English text",
                 dir);
    return P20W_OK;
}

void serve_i18n_free(serve_app *app)
{
    if (app->loc_en != (locale_t)0)
        freelocale(app->loc_en);
    if (app->loc_es != (locale_t)0)
        freelocale(app->loc_es);
    app->loc_en = app->loc_es = (locale_t)0;
}

locale_t serve_i18n_use(serve_app *app, const char *lang)
{
    locale_t l = app->loc_en;
    if (lang != NULL && strcmp(lang, "es") == 0 && app->loc_es != (locale_t)0)
        l = app->loc_es;
    if (l == (locale_t)0)
        return uselocale((locale_t)0);
    return uselocale(l);
}

void serve_i18n_restore(locale_t prev)
{
    if (prev != (locale_t)0)
        uselocale(prev);
}

int serve_i18n_has_es(const serve_app *app)
{
    if (app->loc_es == (locale_t)0)
        return 0;
    static const char probe[] = "Skip to main content";
    locale_t prev = uselocale(app->loc_es);
    const char *t = dgettext(SERVE_TEXT_DOMAIN, probe);
    int ok = strcmp(t, probe) != 0;
    uselocale(prev);
    return ok;
}
