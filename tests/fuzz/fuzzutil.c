/* Helpers shared by the fuzz targets (see fuzz.h). */
#include "config.h"
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

void
fuzz_require(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz: property violated: %s\n", what);
	abort();
}

char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char scratch[256];

static void
remove_scratch(void)
{
	char *cmd;

	if (!scratch[0])
		return;
	cmd = xasprintf("rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", scratch);
	free(cmd);
}

const char *
fuzz_scratch_dir(void)
{
	const char *base = getenv("TMPDIR");

	if (scratch[0])
		return scratch;
	/* tmpfs when there is one: the journal syncs every line it writes. */
	if (!base || !*base)
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(scratch, sizeof(scratch), "%s/rewind-fuzz.XXXXXX", base);
	if (!mkdtemp(scratch)) {
		fprintf(stderr, "fuzz: mkdtemp %s: %s\n", scratch,
			strerror(errno));
		abort();
	}
	atexit(remove_scratch);
	return scratch;
}

void
fuzz_write_file(const char *dir, const char *name, const void *data,
		size_t size)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		fprintf(stderr, "fuzz: write %s: %s\n", path, strerror(errno));
		abort();
	}
	close(fd);
	free(path);
}

/* Length of the UTF-8 sequence at P (N bytes left) and its code point, or
 * 0 when it is not a valid, shortest-form scalar value. */
static size_t
utf8_decode(const unsigned char *p, size_t n, unsigned long *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2
		   : p[0] >= 0xe0 && p[0] < 0xf0 ? 3
		   : p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : 0;
	unsigned long v;

	if (!len || len > n)
		return 0;
	v = len == 1 ? p[0] : p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	*cp = v;
	return len;
}

static int
is_forbidden(unsigned long cp, const char *allow)
{
	if (cp < 0x20)
		return !cp || !allow || !strchr(allow, (int)cp);
	return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

int
fuzz_is_terminal_safe(const char *text, size_t size, const char *allow)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;

	while (i < size) {
		unsigned long cp;
		size_t len = utf8_decode(p + i, size - i, &cp);

		if (!len || is_forbidden(cp, allow))
			return 0;
		i += len;
	}
	return 1;
}
