/* The sessions of a state folder, from the two ends of their journals. */
#include "config.h"
#include "sessions.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "journal.h"
#include "drill.h"
#include "xalloc.h"

#define HEAD_MAX (256u * 1024)	/* the first line is read up to this */
#define TAIL_READ (16u * 1024)	/* the last events are read from this */

static const char *const status_names[] = {
	[SESSION_RUNNING] = "running",
	[SESSION_QUIT] = "quit",
	[SESSION_COMPLETED] = "completed",
	[SESSION_INTERRUPTED] = "interrupted",
	[SESSION_UNREADABLE] = "unreadable",
	[SESSION_OPEN] = "open",
	[SESSION_STOPPED] = "stopped",
};

const char *
session_status_name(enum session_status s)
{
	return status_names[s];
}

/* --- the files held by a lock ------------------------------------------ */

/* The files some process holds an flock on, from /proc/locks: a console
 * holds its session's session.lock while it runs. Read once per listing,
 * so that listing never takes a lock a console starting now would miss. */
struct held {
	dev_t *dev;
	ino_t *ino;
	size_t n;
	int known;	/* /proc/locks could be read */
};

static void
held_add(struct held *h, unsigned maj, unsigned min, unsigned long ino)
{
	h->dev = xrealloc(h->dev, (h->n + 1) * sizeof(*h->dev));
	h->ino = xrealloc(h->ino, (h->n + 1) * sizeof(*h->ino));
	h->dev[h->n] = makedev(maj, min);
	h->ino[h->n++] = (ino_t)ino;
}

static void
held_read(struct held *h)
{
	FILE *f = fopen("/proc/locks", "r");
	char line[256];

	if (!f)
		return;
	h->known = 1;
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long ino;
		char kind[16];

		/* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" */
		if (sscanf(line, "%*s %15s %*s %*s %*d %x:%x:%lu", kind, &maj,
			   &min, &ino) == 4 && strcmp(kind, "FLOCK") == 0)
			held_add(h, maj, min, ino);
	}
	fclose(f);
}

static int
held_has(const struct held *h, const struct stat *st)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->dev[i] == st->st_dev && h->ino[i] == st->st_ino)
			return 1;
	return 0;
}

/* Whether a console holds DIR's lock; without /proc/locks, a shared
 * lock is tried and let go at once. */
static int
is_running(const struct held *h, const char *dir)
{
	char *path = xasprintf("%s/session.lock", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int yes = 0;

	free(path);
	if (fd < 0)
		return 0;
	if (h->known)
		yes = fstat(fd, &st) == 0 && held_has(h, &st);
	else if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		yes = errno == EWOULDBLOCK;
	close(fd);
	return yes;
}

/* --- the two ends of a journal ----------------------------------------- */

static const char *
payload_string(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(ev->payload, key));
}

/* The journal's first line (caller frees), read a block at a time; NULL
 * with *WHY when there is none. */
static char *
first_line(int fd, size_t *len, const char **why)
{
	size_t cap = 4096, have = 0;
	char *buf = xmalloc(cap), *nl = NULL;
	ssize_t k;

	while (!nl && have < HEAD_MAX &&
	       (k = pread(fd, buf + have, cap - have, (off_t)have)) > 0) {
		nl = memchr(buf + have, '\n', (size_t)k);
		have += (size_t)k;
		if (!nl && have == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (!nl) {
		*why = have ? "no complete first line in the journal"
			    : "empty journal";
		free(buf);
		return NULL;
	}
	*len = (size_t)(nl - buf);
	return buf;
}

/* Fill S from the first event, which must be session.started. */
static int
read_head(int fd, struct session_summary *s)
{
	const char *why = NULL;
	size_t len;
	char *line = first_line(fd, &len, &why);
	struct journal_event ev;
	int rc = -1;

	if (!line) {
		s->why = xstrdup(why);
		return -1;
	}
	if (journal_event_parse(line, len, &ev, NULL) < 0) {
		s->why = xstrdup("the journal's first line is not an event");
		free(line);
		return -1;
	}
	if (strcmp(ev.type, "session.started") != 0)
		s->why = xstrdup("the journal does not start with "
				 "session.started");
	else {
		s->playbook = xstrdup_or_null(payload_string(&ev, "playbook"));
		s->title = xstrdup_or_null(payload_string(&ev, "title"));
		s->mode = xstrdup_or_null(payload_string(&ev, "mode"));
		s->operator = xstrdup_or_null(payload_string(&ev, "operator"));
		s->scenario = xstrdup_or_null(payload_string(&ev, "scenario"));
		s->workdir = xstrdup_or_null(payload_string(&ev, "workdir"));
		s->started_us = s->last_us = ev.wall_us;
		s->events = ev.seq;
		rc = 0;
	}
	journal_event_done(&ev);
	free(line);
	return rc;
}

/* Whether EV was written by rewind approve from another terminal (not
 * by a console, which may have quit before it). */
static int
is_outside(const struct journal_event *ev)
{
	const char *via = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ev->payload, "provenance"),
		"via"));

	return via && strcmp(via, "rewind approve") == 0;
}

/* Take what the event of LINE says about where the session stands: the
 * last event's seq, time and type, and the phase of the last one that
 * has a phase. Returns 1 once nothing more is needed. */
static int
note_tail_event(struct session_summary *s, const char *line, size_t len)
{
	struct journal_event ev;
	int done, outside;

	if (journal_event_parse(line, len, &ev, NULL) < 0)
		return 0;
	outside = is_outside(&ev);
	if (!s->last_type && ev.seq >= s->events) {
		s->events = ev.seq;
		s->last_us = ev.wall_us;
	}
	/* A sign-off (or its refusal) written by rewind approve after the
	 * console quit does not make a quit session interrupted: how the
	 * session stands is its last console's word. */
	if (!s->last_type && !outside) {
		s->last_type = xstrdup(ev.type);
		if (strcmp(ev.type, "session.quit") == 0)
			s->how = xstrdup(payload_string(&ev, "how") ?
					 payload_string(&ev, "how") : "quit");
	}
	if (ev.phase && !s->phase && !outside)
		s->phase = xstrdup(ev.phase);
	done = s->last_type && s->phase;
	journal_event_done(&ev);
	return done;
}

/* The start of the line that ends just before END (at or after FLOOR). */
static const char *
line_start(const char *floor, const char *end)
{
	const char *p = end;

	while (p > floor && p[-1] != '\n')
		p--;
	return p;
}

/* Read the journal's last TAIL_READ bytes, its complete lines from the
 * last back until the last event and the last phase are known. A
 * session.completed among them makes the session completed (a quit may
 * follow it). */
static const char completed_type[] = "\"type\":\"session.completed\"";

/* The operator the last session.operator_changed in SPAN bytes at FLOOR
 * handed over to, in S->operator (a resume under another name). */
static const char changed_type[] = "\"type\":\"session.operator_changed\"";

static int
note_operator_change(struct session_summary *s, const char *floor,
		     size_t span)
{
	const char *hit = NULL, *p = floor, *end = floor + span, *nl;
	struct journal_event ev;

	while ((p = memmem(p, (size_t)(end - p), changed_type,
			   sizeof(changed_type) - 1))) {
		hit = p;
		p += sizeof(changed_type) - 1;
	}
	if (!hit)
		return 0;
	hit = line_start(floor, hit);
	nl = memchr(hit, '\n', (size_t)(end - hit));
	if (journal_event_parse(hit, nl ? (size_t)(nl - hit)
				: (size_t)(end - hit), &ev, NULL) < 0)
		return 1;
	if (payload_string(&ev, "to")) {
		free(s->operator);
		s->operator = xstrdup(payload_string(&ev, "to"));
	}
	journal_event_done(&ev);
	return 1;
}

/* The last operator change before offset END of the journal FD, read a
 * block at a time from END back (a hand-over long before the tail still
 * names who commands now). Blocks overlap by a line's worth, so an event
 * cut by a block's start is found whole in the block before. */
static void
operator_change_before(int fd, off_t end, struct session_summary *s)
{
	char *buf = xmalloc(TAIL_READ + HEAD_MAX);
	off_t to = end;

	while (to > 0) {
		off_t from = to > (off_t)TAIL_READ ? to - (off_t)TAIL_READ : 0;
		size_t want = (size_t)(to - from) + (to < end ? HEAD_MAX : 0);
		ssize_t k;
		const char *floor = buf, *nl, *stop;

		if (from + (off_t)want > end)
			want = (size_t)(end - from);
		k = pread(fd, buf, want, from);
		if (k <= 0)
			break;
		if (from > 0 && (nl = memchr(buf, '\n', (size_t)k)))
			floor = nl + 1;
		stop = buf + k;
		if (stop[-1] != '\n')
			stop = line_start(floor, stop);
		if (stop > floor &&
		    note_operator_change(s, floor, (size_t)(stop - floor)))
			break;
		to = from;
	}
	free(buf);
}

static void
read_tail(int fd, off_t size, struct session_summary *s, int *completed)
{
	off_t from = size > (off_t)TAIL_READ ? size - (off_t)TAIL_READ : 0;
	char *buf = xmalloc(TAIL_READ);
	ssize_t k = pread(fd, buf, TAIL_READ, from);
	const char *floor = buf, *end, *nl;
	size_t span;

	if (k <= 0) {
		free(buf);
		return;
	}
	if (from > 0 && (nl = memchr(buf, '\n', (size_t)k)))
		floor = nl + 1;	/* the first line is cut */
	end = buf + k;
	if (end > floor && end[-1] != '\n')	/* a torn tail */
		end = line_start(floor, end);
	span = end > floor ? (size_t)(end - floor) : 0;
	*completed = memmem(floor, span, completed_type,
			    sizeof(completed_type) - 1) != NULL;
	if (!note_operator_change(s, floor, span) && from > 0)
		operator_change_before(fd, from, s);
	while (end > floor) {
		const char *start = line_start(floor, end - 1);

		if (note_tail_event(s, start, (size_t)(end - 1 - start)))
			break;
		end = start;
	}
	free(buf);
}

/* Walk the chain of the journal at PATH: S->broken_line is the first
 * line it does not prove (a torn last line being written is no break). */
static void
check_chain(struct session_summary *s, const char *path)
{
	struct journal_verify v;

	memset(&v, 0, sizeof(v));
	if (journal_verify_file(path, &v, NULL) == 1 && v.bad_line)
		s->broken_line = v.unverified_from ? v.unverified_from
						   : v.bad_line;
}

/* A drill not completed keeps its scenario from the trainee: the id
 * names the answer. */
static void
hide_open_scenario(struct session_summary *s)
{
	if (s->scenario && s->status != SESSION_COMPLETED && s->mode &&
	    strcmp(s->mode, "drill") == 0) {
		free(s->scenario);
		s->scenario = xstrdup(DRILL_SCENARIO_HIDDEN);
	}
}

static void
summarise(struct session_summary *s, const struct held *h)
{
	char *path = xasprintf("%s/journal.jsonl", s->dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int completed = 0;
	struct stat st;

	s->status = SESSION_UNREADABLE;
	if (fd < 0 || fstat(fd, &st) < 0) {
		s->why = xasprintf("journal.jsonl: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return;
	}
	if (read_head(fd, s) == 0) {
		read_tail(fd, st.st_size, s, &completed);
		/* A completed session is completed, even while its
		 * console is still open on the score card. */
		s->status = completed ? SESSION_COMPLETED
			  : is_running(h, s->dir) ? SESSION_RUNNING
			  : s->how && strcmp(s->how, "quit") == 0
			  ? SESSION_QUIT
			  : s->how && strcmp(s->how, SESSION_END_OF_INPUT) == 0
			  ? SESSION_STOPPED : SESSION_INTERRUPTED;
		check_chain(s, path);
		hide_open_scenario(s);
	}
	close(fd);
	free(path);
}

/* --- listing ------------------------------------------------------------ */

int
sessions_is_session(const char *dir)
{
	char *path = xasprintf("%s/journal.jsonl", dir);
	struct stat st;
	int yes = stat(path, &st) == 0 && S_ISREG(st.st_mode);

	free(path);
	return yes;
}

static int
is_session_dir(const char *root, const char *name)
{
	char *dir;
	int yes;

	if (name[0] == '.')
		return 0;
	dir = xasprintf("%s/%s", root, name);
	yes = sessions_is_session(dir);
	free(dir);
	return yes;
}

static struct session_summary *
add_summary(struct session_summary **out, size_t *n, size_t *cap,
	    const char *dir, const char *name)
{
	struct session_summary *s;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*out = xrealloc(*out, *cap * sizeof(**out));
	}
	s = &(*out)[(*n)++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->dir = xstrdup(dir);
	return s;
}

/* ROOT is a session directory itself: a list of one. */
static void
list_one(const char *root, const struct held *h,
	 struct session_summary **out, size_t *n)
{
	const char *slash = strrchr(root, '/');
	size_t cap = 0;

	while (slash && slash[1] == '\0' && slash > root) {	/* "dir/" */
		const char *p = slash - 1;

		while (p > root && *p != '/')
			p--;
		slash = *p == '/' ? p : NULL;
	}
	summarise(add_summary(out, n, &cap, root,
			      slash ? slash + 1 : root), h);
}

static int
by_last_activity(const void *a, const void *b)
{
	const struct session_summary *x = a, *y = b;

	if (x->last_us != y->last_us)
		return x->last_us < y->last_us ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* The sessions kept outside ROOT that ROOT/.elsewhere names (one
 * directory a line, as sessions_note_elsewhere writes them), those that
 * still hold one; listed under their whole path. */
static void
list_elsewhere(const char *root, const struct held *h,
	       struct session_summary **out, size_t *n, size_t *cap)
{
	char *path = xasprintf("%s/.elsewhere", root);
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t size = 0;
	ssize_t k;

	free(path);
	while (f && (k = getline(&line, &size, f)) > 0) {
		if (line[k - 1] == '\n')
			line[--k] = '\0';
		if (*line == '/' && sessions_is_session(line))
			summarise(add_summary(out, n, cap, line, line), h);
	}
	free(line);
	if (f)
		fclose(f);
}

int
sessions_note_elsewhere(const char *root, const char *dir)
{
	char *path = xasprintf("%s/.elsewhere", root);
	char *line = NULL, *real = realpath(dir, NULL);
	size_t size = 0, rlen = strlen(root);
	int found = 0, rc = 0;
	ssize_t k;
	FILE *f;

	if (!real || (strncmp(real, root, rlen) == 0 && real[rlen] == '/')) {
		free(real);
		free(path);
		return 0;
	}
	f = fopen(path, "a+");
	while (f && !found && (k = getline(&line, &size, f)) > 0)
		found = (size_t)k == strlen(real) + 1 &&
			strncmp(line, real, (size_t)k - 1) == 0;
	if (!f || (!found && fprintf(f, "%s\n", real) < 0))
		rc = -1;
	if (f && fclose(f) != 0)
		rc = -1;
	free(line);
	free(real);
	free(path);
	return rc;
}

int
sessions_list(const char *root, struct session_summary **out, size_t *n,
	      struct err *err)
{
	DIR *d = opendir(root);
	struct held h = { 0 };
	struct dirent *e;
	size_t cap = 0;
	int single;

	*out = NULL;
	*n = 0;
	if (!d)
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "%s: %s", root, strerror(errno));
	held_read(&h);
	single = sessions_is_session(root);
	if (single)
		list_one(root, &h, out, n);
	if (!single)
		list_elsewhere(root, &h, out, n, &cap);
	while (!single && (e = readdir(d))) {
		char *dir;

		if (!is_session_dir(root, e->d_name))
			continue;
		dir = xasprintf("%s/%s", root, e->d_name);
		summarise(add_summary(out, n, &cap, dir, e->d_name), &h);
		free(dir);
	}
	closedir(d);
	free(h.dev);
	free(h.ino);
	if (*n)
		qsort(*out, *n, sizeof(**out), by_last_activity);
	return 0;
}

void
sessions_free(struct session_summary *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct session_summary *s = &list[i];

		free(s->dir);
		free(s->name);
		free(s->playbook);
		free(s->title);
		free(s->mode);
		free(s->operator);
		free(s->scenario);
		free(s->workdir);
		free(s->phase);
		free(s->last_type);
		free(s->how);
		free(s->why);
	}
	free(list);
}
