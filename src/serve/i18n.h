/*
 * i18n.h — English and Spanish through gettext catalogs (po/es.po,
 * compiled by make into build/locale/es/LC_MESSAGES/p20w.mo).
 *
 * Every string a page shows goes through _() (or N_() where it is stored
 * and translated later with _()). The msgid is the English text.
 *
 * Thread safety: the language is per thread, not per process. The server
 * switches the request thread's locale with uselocale() to a locale whose
 * LC_MESSAGES is the request's language (es_ES.UTF-8; its other
 * categories stay "C", so numbers print with a '.' in JSON and CSV) for
 * the handler call, then back. glibc's dgettext reads the thread's locale.
 * setlocale() is never called.
 */
#ifndef P20W_SERVE_I18N_H
#define P20W_SERVE_I18N_H

#include <libintl.h>
#include <locale.h>

#include "serve/serve.h"

#define SERVE_TEXT_DOMAIN "p20w"
#define _(s) dgettext(SERVE_TEXT_DOMAIN, s)
#define N_(s) s

/* Binds the text domain to dir (process-wide; call once before any
 * thread) and makes the per-language locales. A missing Spanish locale
 * is not an error: Spanish pages then show English text and a warning is
 * logged (scripts/bootstrap generates es_ES.UTF-8). Errors: P20W_ENOMEM. */
p20w_status serve_i18n_init(serve_app *app, const char *dir, p20w_err *err);
void serve_i18n_free(serve_app *app);

/* Switches this thread to lang ("en", "es"); returns the previous locale
 * for serve_i18n_restore(). */
locale_t serve_i18n_use(serve_app *app, const char *lang);
void serve_i18n_restore(locale_t prev);

/* 1 when Spanish text is available (the locale and the catalog). */
int serve_i18n_has_es(const serve_app *app);

#endif
