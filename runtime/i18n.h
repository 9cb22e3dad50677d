/* Message translation through gettext, text domain "ecorule". Message ids
 * are English; po/zh_CN.po carries the Simplified Chinese. */
#ifndef ECORULE_I18N_H
#define ECORULE_I18N_H

/* Select the language of messages: "zh" or "en" force one, NULL or ""
 * follow the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). Call once at
 * start-up, before any message is produced. Returns 0, or -1 when `lang`
 * is not one of those values. */
int er_i18n_init(const char *lang);

/* The translation of msgid in the selected language. */
const char *er_gettext(const char *msgid);

/* Whether the selected language is Chinese. */
int er_i18n_is_chinese(void);

#define _(s) er_gettext(s)
#define N_(s) (s)

#endif
