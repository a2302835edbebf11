/* Benchmark: reopen and resume a 100,000-event session (goal < 200 ms).
 * The session is started for real, then grown with 100,000 note events
 * chained exactly as the journal writes them (written without a sync per
 * line, since the bench measures the reopen, not the writing). */
#include "config.h"
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "sha256.h"
#include "session.h"
#include "strbuf.h"
#include "xalloc.h"

#define N_EVENTS 100000

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Hex SHA-256 of the last line of the file at PATH, and its line count. */
static unsigned long
last_line_hash(const char *path, char hex[65])
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *last = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long count = 0;

	while (f && (n = getline(&line, &cap, f)) > 0) {
		line[n - 1] = '\0';
		free(last);
		last = xstrdup(line);
		count++;
	}
	sha256_hex(last, strlen(last), hex);
	free(last);
	free(line);
	if (f)
		fclose(f);
	return count;
}

static void
grow_journal(const char *path)
{
	char prev[65], wall[40];
	unsigned long seq = last_line_hash(path, prev);
	struct strbuf line = STRBUF_INIT;
	FILE *f = fopen(path, "a");
	int64_t t = clock_wall_now(clock_system());

	for (int i = 0; i < N_EVENTS; i++) {
		strbuf_reset(&line);
		clock_format_rfc3339(t + i, wall, sizeof(wall));
		strbuf_addf(&line, "{\"seq\":%lu,\"wall\":\"%s\",\"mono\":%d,"
			    "\"actor\":\"olga\",\"type\":\"note.added\","
			    "\"phase\":\"assess\",\"step\":null,\"payload\":"
			    "{\"text\":\"bench note %d\"},\"prev\":\"%s\"}",
			    ++seq, wall, i, i, prev);
		fprintf(f, "%s\n", line.buf);
		sha256_hex(line.buf, line.len, prev);
	}
	fclose(f);
	strbuf_done(&line);
}

static struct session *
open_session(const char *dir, const char *playbook)
{
	struct session_opts o = { 0 };
	struct err err = { 0 };
	struct session *s;

	o.dir = dir;
	o.playbook = playbook;
	o.mode = SESSION_DRILL;
	o.operator = "olga";
	s = session_open(&o, &err);
	if (!s) {
		fprintf(stderr, "bench_session: %s\n", err.msg);
		exit(1);
	}
	return s;
}

int
main(int argc, char **argv)
{
	const char *src = getenv("REWIND_SRCDIR");
	char tmpl[] = "./bench-session-XXXXXX";
	char *playbook, *dir, *journal, *cmd;
	struct session *s;
	double t0, ms;
	uint64_t n;

	(void)argc;
	(void)argv;
	if (!mkdtemp(tmpl))
		return 1;
	playbook = xasprintf("%s/playbooks/example.json", src ? src : ".");
	dir = xasprintf("%s/s", tmpl);
	journal = xasprintf("%s/journal.jsonl", dir);
	session_free(open_session(dir, playbook));
	grow_journal(journal);
	t0 = now_ms();
	s = open_session(dir, playbook);
	ms = now_ms() - t0;
	n = session_n_events(s);
	session_free(s);
	printf("session: reopen and resume %llu events: %.1f ms (goal < 200 ms)"
	       " %s\n", (unsigned long long)n, ms, bench_verdict(ms < 200));
	cmd = xasprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_session: could not remove %s\n", tmpl);
	free(cmd);
	free(journal);
	free(dir);
	free(playbook);
	return 0;
}
