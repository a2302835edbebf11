/* Message files checked against the hashes the journal holds. */
#include "config.h"
#include "evidence.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "journal.h"
#include "sha256.h"
#include "xalloc.h"

#define FILE_MAX (64u << 20)	/* a message file larger is not read */

/* One message: the hash queued, and where it was delivered to a file. */
struct msg {
	char *id, *sha256, *path;
};

struct walk {
	struct msg *msgs;
	size_t n;
};

static const char *
field(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(ev->payload, key));
}

static struct msg *
find_msg(struct walk *w, const char *id)
{
	for (size_t i = 0; id && i < w->n; i++)
		if (strcmp(w->msgs[i].id, id) == 0)
			return &w->msgs[i];
	return NULL;
}

static void
on_event(const struct journal_event *ev, void *arg)
{
	struct walk *w = arg;
	const char *id = field(ev, "id");
	struct msg *m;

	if (!id)
		return;
	if (strcmp(ev->type, "message.queued") == 0 && field(ev, "sha256") &&
	    !find_msg(w, id)) {
		w->msgs = xrealloc(w->msgs, (w->n + 1) * sizeof(*w->msgs));
		w->msgs[w->n++] = (struct msg){ xstrdup(id),
			xstrdup(field(ev, "sha256")), NULL };
	} else if (strcmp(ev->type, "message.delivered") == 0 &&
		   (m = find_msg(w, id)) && field(ev, "path")) {
		free(m->path);
		m->path = xstrdup(field(ev, "path"));
	}
}

/* The hex SHA-256 of file PATH in HEX; -1 when it cannot be read. */
static int
file_sha256(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	struct sha256 ctx;
	char buf[65536];
	size_t n, total = 0;

	if (!f)
		return -1;
	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && total < FILE_MAX) {
		sha256_update(&ctx, buf, n);
		total += n;
	}
	fclose(f);
	sha256_final_hex(&ctx, hex);
	return 0;
}

static void
note_bad(struct evidence *out, const char *path, const char *why)
{
	if (!out->n_bad++)
		snprintf(out->bad, sizeof(out->bad), "%s: %s", path, why);
}

static void
check_msg(const char *dir, const struct msg *m, struct evidence *out)
{
	char hex[65], *path;

	if (!m->path)
		return;		/* never delivered to a file */
	if (m->path[0] == '/' || strncmp(m->path, "messages/", 9) != 0 ||
	    strstr(m->path, "..")) {
		out->outside++;
		return;
	}
	path = xasprintf("%s/%s", dir, m->path);
	if (file_sha256(path, hex) < 0)
		note_bad(out, m->path, strerror(errno));
	else if (strcmp(hex, m->sha256) != 0)
		note_bad(out, m->path, "its text is not the text the journal "
			 "holds (sha256 differs)");
	else
		out->checked++;
	free(path);
}

int
evidence_check(const char *dir, struct evidence *out, struct err *err)
{
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	struct walk w = { 0 };
	struct journal *j = journal_open_readonly(jpath, on_event, &w, err);

	memset(out, 0, sizeof(*out));
	free(jpath);
	if (j)
		for (size_t i = 0; i < w.n; i++)
			check_msg(dir, &w.msgs[i], out);
	for (size_t i = 0; i < w.n; i++) {
		free(w.msgs[i].id);
		free(w.msgs[i].sha256);
		free(w.msgs[i].path);
	}
	free(w.msgs);
	journal_free(j);
	return j ? 0 : -1;
}
