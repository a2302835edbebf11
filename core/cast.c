/* asciicast v2: a JSON header line, then [time, "o", text] events. Writes
 * are buffered so a flood of output costs few system calls. */
#include "config.h"
#include "cast.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "strbuf.h"
#include "xalloc.h"

#define CAST_FLUSH_AT 65536

struct cast {
	int fd;
	char *path;
	struct strbuf buf;
	int failed;
};

static int
flush(struct cast *c)
{
	size_t off = 0;

	while (off < c->buf.len) {
		ssize_t n = write(c->fd, c->buf.buf + off, c->buf.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			c->failed = errno;
			break;
		}
		off += (size_t)n;
	}
	strbuf_reset(&c->buf);
	return c->failed ? -1 : 0;
}

/* Length of a valid UTF-8 sequence at P (at most N bytes), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 :
		     p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;

	if (len == 0 || len > n || p[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* JSON-quote LEN bytes of TEXT; invalid UTF-8 becomes U+FFFD so the file
 * stays valid JSON whatever a command prints. */
static void
add_json_string(struct strbuf *sb, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;

	strbuf_addc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		size_t n;

		if (p[i] == '"' || p[i] == '\\') {
			strbuf_addc(sb, '\\');
			strbuf_addc(sb, (char)p[i]);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			strbuf_addf(sb, "\\u%04x", p[i]);
		} else if (p[i] < 0x80) {
			strbuf_addc(sb, (char)p[i]);
		} else if ((n = utf8_len(p + i, len - i)) > 0) {
			strbuf_add(sb, p + i, n);
			i += n - 1;
		} else {
			strbuf_adds(sb, "\\ufffd");
		}
	}
	strbuf_addc(sb, '"');
}

struct cast *
cast_open(const char *path, const char *command, int64_t wall_us,
	  struct err *err)
{
	struct cast *c;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0) {
		err_set(err, ERR_IO, "cannot create %s: %s", path,
			strerror(errno));
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->path = xstrdup(path);
	strbuf_addf(&c->buf, "{\"version\":2,\"width\":80,\"height\":24,"
		    "\"timestamp\":%lld,\"command\":",
		    (long long)(wall_us / 1000000));
	add_json_string(&c->buf, command ? command : "", strlen(command ? command : ""));
	strbuf_adds(&c->buf, "}\n");
	return c;
}

int
cast_write(struct cast *c, int64_t t_us, const char *text, size_t len,
	   int newline)
{
	strbuf_addf(&c->buf, "[%lld.%06lld,\"o\",", (long long)(t_us / 1000000),
		    (long long)(t_us % 1000000));
	add_json_string(&c->buf, text, len);
	if (newline) {
		c->buf.len--;	/* reopen the string to append the line end */
		strbuf_adds(&c->buf, "\\r\\n\"");
	}
	strbuf_adds(&c->buf, "]\n");
	return c->buf.len >= CAST_FLUSH_AT ? flush(c) : 0;
}

int
cast_close(struct cast *c, struct err *err)
{
	int rc;

	if (!c)
		return 0;
	rc = flush(c);
	if (rc == 0 && fdatasync(c->fd) < 0)
		c->failed = errno;
	if (c->failed)
		rc = err_set(err, ERR_IO, "cannot write %s: %s", c->path,
			     strerror(c->failed));
	close(c->fd);
	strbuf_done(&c->buf);
	free(c->path);
	free(c);
	return rc;
}
