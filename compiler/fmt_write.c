/* The write path of rulec fmt --write: replace a rule file atomically. */
/* realpath() is an X/Open function in glibc. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "i18n.h"
#include "model.h"

static int write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Sync the folder holding `path`, so the rename survives a crash. Some
 * file systems cannot sync a folder. That does not undo the rename, so
 * it is not an error. */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *folder = slash ? model_xstrdup(path) : model_xstrdup(".");
	if (slash)
		folder[slash == path ? 1 : (size_t)(slash - path)] = '\0';
	int fd = open(folder, O_RDONLY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(folder);
}

/* Write `text` to a new temporary file beside `target`, with `mode`,
 * synced to disk. Returns the file's name (owned), or NULL with errno set
 * and nothing left behind. */
static char *write_temporary(const char *target, const char *text, mode_t mode)
{
	size_t len = strlen(target);
	char *tmp = model_xmalloc(len + 16);
	snprintf(tmp, len + 16, "%s.fmt-XXXXXX", target);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return NULL;
	}
	if (fchmod(fd, mode) != 0 || write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return NULL;
	}
	if (close(fd) != 0) {
		int saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return NULL;
	}
	return tmp;
}

int fmt_write_file(const char *path, const char *text, FILE *err)
{
	/* Through a symbolic link, replace the file it points at and keep
	 * the link. */
	char *target = realpath(path, NULL);
	struct stat st;
	if (!target || stat(target, &st) != 0) {
		fprintf(err, _("rulec: cannot write %s: %s\n"), path, strerror(errno));
		free(target);
		return -1;
	}
	char *tmp = write_temporary(target, text, st.st_mode & 07777);
	if (!tmp) {
		fprintf(err, _("rulec: cannot write %s: writing a temporary file in its folder failed: %s; the file "
			       "is unchanged\n"),
			path, strerror(errno));
		free(target);
		return -1;
	}
	if (rename(tmp, target) != 0) {
		int saved = errno;
		unlink(tmp);
		fprintf(err, _("rulec: cannot replace %s: %s; the file is unchanged\n"), path, strerror(saved));
		free(tmp);
		free(target);
		return -1;
	}
	sync_folder(target);
	free(tmp);
	free(target);
	return 0;
}
