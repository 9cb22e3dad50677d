/* Message translation: selects Chinese or English and looks messages up
 * in the "ecorule" gettext catalogue. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecorule.h"
#include "i18n.h"

#define ER_TEXT_DOMAIN "ecorule"

#ifndef LOCALEDIR
#define LOCALEDIR ""
#endif
#ifndef INSTALLED_LOCALEDIR
#define INSTALLED_LOCALEDIR "/usr/local/share/locale"
#endif

static int i18n_chinese;
/* LANGUAGE as it was before er_i18n_init("zh") replaced it, so that a
 * later call can restore the user's setting. */
static int i18n_language_replaced;
static char *i18n_saved_language;

static void i18n_restore_language(void)
{
	const char *now = getenv("LANGUAGE");

	if (!i18n_language_replaced)
		return;
	/* Restore only the value this file set; a later change by the program
	 * itself stays. */
	if (now != NULL && strcmp(now, "zh_CN") == 0) {
		if (i18n_saved_language != NULL)
			setenv("LANGUAGE", i18n_saved_language, 1);
		else
			unsetenv("LANGUAGE");
	}
	free(i18n_saved_language);
	i18n_saved_language = NULL;
	i18n_language_replaced = 0;
}

/* Set LANGUAGE to zh_CN, keeping the value it replaces. Returns -1 when
 * out of memory. */
static int i18n_replace_language(void)
{
	const char *old = getenv("LANGUAGE");

	if (!i18n_language_replaced) {
		if (old != NULL) {
			i18n_saved_language = strdup(old);
			if (i18n_saved_language == NULL)
				return -1;
		}
		i18n_language_replaced = 1;
	}
	return setenv("LANGUAGE", "zh_CN", 1);
}

static int i18n_is_directory(const char *path)
{
	struct stat st;

	return path[0] != '\0' && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether FILE, a library or program installed in PREFIX/bin or
 * PREFIX/lib, has the Chinese catalogue in PREFIX/share/locale; if so,
 * store that directory in DIR. */
static int i18n_dir_beside(const char *file, char *dir, size_t size)
{
	char mo[PATH_MAX + 64];
	const char *slash = strrchr(file, '/');
	size_t len;
	struct stat st;

	if (file[0] != '/' || slash == NULL)
		return 0;
	len = (size_t)(slash - file);
	/* Strip the bin or lib folder. */
	while (len > 0 && file[len - 1] != '/')
		len--;
	if (len == 0 || (size_t)snprintf(dir, size, "%.*sshare/locale", (int)len, file) >= size)
		return 0;
	snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/" ER_TEXT_DOMAIN ".mo", dir);
	return stat(mo, &st) == 0 && S_ISREG(st.st_mode);
}

/* The catalogue directory of the install this code runs from: beside
 * the shared library that contains it, else beside the running program. */
static int i18n_installed_dir(char *dir, size_t size)
{
	Dl_info info;
	char exe[PATH_MAX];
	ssize_t len;

	if (dladdr((void *)i18n_installed_dir, &info) != 0 && info.dli_fname != NULL &&
	    i18n_dir_beside(info.dli_fname, dir, size))
		return 1;
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0)
		return 0;
	exe[len] = '\0';
	return i18n_dir_beside(exe, dir, size);
}

/* The catalogue directory: $ECORULE_LOCALEDIR, else the share/locale of
 * the install the program or library runs from, else the build tree's
 * when it exists, else PREFIX/share/locale of the build. */
static const char *i18n_locale_dir(void)
{
	static char installed[PATH_MAX];
	const char *env = getenv("ECORULE_LOCALEDIR");

	if (env != NULL && env[0] != '\0')
		return env;
	if (i18n_installed_dir(installed, sizeof installed))
		return installed;
	if (i18n_is_directory(LOCALEDIR))
		return LOCALEDIR;
	return INSTALLED_LOCALEDIR;
}

/* Whether the environment selects Chinese: the first non-empty variable
 * of LANGUAGE, LC_ALL, LC_MESSAGES and LANG starts with "zh". */
static int i18n_env_is_chinese(void)
{
	static const char *const names[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *value = getenv(names[i]);

		if (value != NULL && value[0] != '\0')
			return strncmp(value, "zh", 2) == 0;
	}
	return 0;
}

int er_i18n_init(const char *lang)
{
	i18n_restore_language();
	if (lang == NULL || lang[0] == '\0')
		i18n_chinese = i18n_env_is_chinese();
	else if (strcmp(lang, "zh") == 0)
		i18n_chinese = 1;
	else if (strcmp(lang, "en") == 0)
		i18n_chinese = 0;
	else
		return -1;

	if (!i18n_chinese)
		return 0;

	/* glibc gettext ignores LANGUAGE under the "C" locale, and CI machines
	 * often have no zh_CN locale generated. C.UTF-8 is built into glibc
	 * since 2.35 and is not "C", so with it LANGUAGE selects the zh_CN
	 * catalogue without any generated locale. */
	const char *current = setlocale(LC_MESSAGES, "");
	if (current == NULL || strcmp(current, "C") == 0 || strcmp(current, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	/* libc's own messages (strerror) are converted to the LC_CTYPE
	 * charset, which is ASCII under "C": Chinese would print as '?'. */
	current = setlocale(LC_CTYPE, "");
	if (current == NULL || strcmp(current, "C") == 0 || strcmp(current, "POSIX") == 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	if (i18n_replace_language() != 0) {
		/* Without LANGUAGE the catalogue cannot be selected. */
		i18n_chinese = 0;
		return 0;
	}

	bindtextdomain(ER_TEXT_DOMAIN, i18n_locale_dir());
	/* Catalogues are UTF-8, and so is all output, whatever LC_CTYPE is. */
	bind_textdomain_codeset(ER_TEXT_DOMAIN, "UTF-8");
	return 0;
}

const char *er_gettext(const char *msgid)
{
	if (!i18n_chinese || msgid[0] == '\0')
		return msgid;
	return dgettext(ER_TEXT_DOMAIN, msgid);
}

int er_i18n_is_chinese(void)
{
	return i18n_chinese;
}

int er_set_language(const char *lang)
{
	return er_i18n_init(lang);
}
