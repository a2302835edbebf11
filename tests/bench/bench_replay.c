/* Replay benchmark: a 1,000,000-event journal (valid hash chain; a mix of
 * notes and state-changing ticks, n/a marks and variable changes), opened
 * for replay with what the console needs for its last screen (the journal
 * pane's last 5000 summaries, the output pane); then seeks to random
 * events. Goals: open and last screen < 1 s, seek median < 100 ms, peak
 * RSS < 200 MB. Run once with 40 % state-changing events and once with
 * all of them state-changing (the worst case for opening). A third run:
 * a session of 10,000 step runs, each with its output cast of 100 lines
 * (what a long incident with chatty commands leaves), opened with its
 * last screen and seeked the same way. */
#include "config.h"
#include "bench.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "journal.h"
#include "replay.h"
#include "session.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define N_EVENTS 1000000
#define N_SEEKS 200
#define SCREEN_LINES 5000
#define WALL0 1795289400000000LL

#ifdef __OPTIMIZE__
#define BUILD_NOTE ""
#else
#define BUILD_NOTE " [unoptimised build]"
#endif

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process (user + system), to tell our cost from a
 * busy machine's. */
static double
cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static long
peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

struct writer {
	FILE *fp;
	uint64_t seq;
	char prev[65];
	struct strbuf line;
};

static void
put(struct writer *w, const char *type, const char *step, cJSON *payload)
{
	struct journal_event ev = { 0 };

	ev.seq = ++w->seq;
	ev.wall_us = WALL0 + (int64_t)ev.seq * 1000;
	ev.mono_us = (int64_t)ev.seq * 1000;
	ev.actor = xstrdup("olga");
	ev.type = xstrdup(type);
	ev.phase = xstrdup("assess");
	ev.step = step ? xstrdup(step) : NULL;
	ev.payload = payload;
	memcpy(ev.prev, w->prev, sizeof(ev.prev));
	journal_format_line(&w->line, &ev);
	fputs(w->line.buf, w->fp);
	fputc('\n', w->fp);
	sha256_hex(w->line.buf, w->line.len, w->prev);
	journal_event_done(&ev);
}

static cJSON *
kv(const char *k1, const char *v1, const char *k2, const char *v2)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, k1, v1);
	if (k2)
		cJSON_AddStringToObject(p, k2, v2);
	return p;
}

/* Event I: state-changing for STATE_PCT percent of the events. */
static void
put_event(struct writer *w, int i, int state_pct)
{
	static const char *const steps[] = { "assess.ticket", "verify.errors",
					     "communicate.postmortem" };
	static const char *const sev[] = { "P0", "P1", "P2", "P3" };
	char text[64];

	if (i % 100 >= state_pct) {
		snprintf(text, sizeof(text), "bench note %d", i);
		put(w, "note.added", NULL, kv("text", text, NULL, NULL));
		return;
	}
	switch (i % 3) {
	case 0:
		put(w, "step.ticked", steps[i % 3], kv("note", "ok", NULL, NULL));
		break;
	case 1:
		put(w, "var.set", NULL, kv("name", "SEVERITY", "value",
					   sev[i % 4]));
		break;
	default:
		put(w, "step.na", steps[i % 3], kv("reason", "not here", NULL,
						   NULL));
		break;
	}
}

static void
write_session(const char *dir, int state_pct)
{
	const char *src = getenv("REWIND_SRCDIR");
	char *pb = xasprintf("%s/playbooks/example.json", src ? src : ".");
	char *cmd = xasprintf("mkdir -p '%s' && cp '%s' '%s/playbook.json'",
			      dir, pb, dir);
	char *path = xasprintf("%s/journal.jsonl", dir);
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };

	if (system(cmd) != 0 || !(w.fp = fopen(path, "w"))) {
		fprintf(stderr, "bench_replay: cannot set up %s\n", dir);
		exit(1);
	}
	put(&w, "session.started", NULL, kv("mode", "drill", "operator", "olga"));
	for (int i = 1; i < N_EVENTS; i++)
		put_event(&w, i, state_pct);
	fclose(w.fp);
	strbuf_done(&w.line);
	free(path);
	free(cmd);
	free(pb);
}

#define N_RUNS 10000
#define CAST_LINES 100

static void
write_cast(const char *dir, int i)
{
	char *path = xasprintf("%s/output/run-%d.cast", dir, i);
	FILE *fp = fopen(path, "w");

	if (!fp) {
		fprintf(stderr, "bench_replay: cannot write %s\n", path);
		exit(1);
	}
	fprintf(fp, "{\"version\": 2, \"width\": 80, \"height\": 24, "
		"\"timestamp\": 1795289400, \"command\": \"deploy status\"}\n");
	for (int l = 0; l < CAST_LINES; l++)
		fprintf(fp, "[%d.%06d, \"o\", \"run %d: line %d of the "
			"rollout, pods ready %d/%d\\r\\n\"]\n", l / 10,
			(l % 10) * 100000, i, l, l % 12, 12);
	fclose(fp);
	free(path);
}

/* 10,000 runs of one step, each started and finished, with its cast. */
static void
write_cast_session(const char *dir)
{
	const char *src = getenv("REWIND_SRCDIR");
	char *pb = xasprintf("%s/playbooks/example.json", src ? src : ".");
	char *cmd = xasprintf("mkdir -p '%s/output' && cp '%s' "
			      "'%s/playbook.json'", dir, pb, dir);
	char *path = xasprintf("%s/journal.jsonl", dir);
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };

	if (system(cmd) != 0 || !(w.fp = fopen(path, "w"))) {
		fprintf(stderr, "bench_replay: cannot set up %s\n", dir);
		exit(1);
	}
	put(&w, "session.started", NULL, kv("mode", "drill", "operator", "olga"));
	for (int i = 1; i <= N_RUNS; i++) {
		char out[64];
		cJSON *done = cJSON_CreateObject();

		snprintf(out, sizeof(out), "output/run-%d.cast", i);
		put(&w, "step.started", "assess.status",
		    kv("command", "deploy status", "output", out));
		cJSON_AddBoolToObject(done, "ok", 1);
		cJSON_AddNumberToObject(done, "exit", 0);
		cJSON_AddNumberToObject(done, "duration_ms", 900);
		cJSON_AddNumberToObject(done, "lines", CAST_LINES);
		put(&w, "step.finished", "assess.status", done);
		write_cast(dir, i);
	}
	fclose(w.fp);
	strbuf_done(&w.line);
	free(path);
	free(cmd);
	free(pb);
}

/* What the console does for a screen besides drawing: summarise the
 * journal pane's lines, rebuild the output pane. */
static void
summarise(uint64_t n, const char *line, size_t len, void *arg)
{
	cJSON *ev = cJSON_ParseWithLength(line, len);

	(void)n;
	*(long *)arg += ev != NULL;
	cJSON_Delete(ev);
}

static void
count_item(uint64_t ev, int alert, const char *text, void *arg)
{
	(void)ev;
	(void)alert;
	(void)text;
	(*(long *)arg)++;
}

static void
screen_work(struct replay *r)
{
	uint64_t pos = replay_pos(r);
	long n = 0;

	replay_each_line(r, pos > SCREEN_LINES ? pos - SCREEN_LINES + 1 : 1,
			 pos, summarise, &n, NULL);
	replay_output(r, replay_wall(r, pos), SCREEN_LINES, count_item, &n,
		      NULL);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* STATE_PCT < 0: the session of runs with casts. SEEKS sorted. */
static void
print_figures(int state_pct, uint64_t n, double open_ms, double open_cpu,
	      const double *seeks, long rss)
{
	char what[64];

	if (state_pct < 0)
		snprintf(what, sizeof(what), "%d runs with casts", N_RUNS);
	else
		snprintf(what, sizeof(what), "%d%% state events", state_pct);
	printf("replay (%s): open %llu events + last screen: %.0f ms, %.0f ms "
	       "CPU (goal < 1000 ms)%s %s\n", what, (unsigned long long)n,
	       open_ms, open_cpu, BUILD_NOTE, bench_verdict(open_ms < 1000));
	printf("replay (%s): %d random seeks + screen: median %.1f ms, max "
	       "%.1f ms (goal: median < 100 ms) %s\n", what, N_SEEKS,
	       seeks[N_SEEKS / 2], seeks[N_SEEKS - 1],
	       bench_verdict(seeks[N_SEEKS / 2] < 100));
	printf("replay (%s): peak RSS %ld MB (goal < 200 MB) %s\n", what, rss,
	       bench_verdict(rss < 200));
}

static int
bench(const char *tmpl, int state_pct)
{
	char *dir = xasprintf("%s/s%d", tmpl, state_pct < 0 ? 0 : state_pct);
	double t0, c0, open_ms, open_cpu, seeks[N_SEEKS];
	struct err err = { 0 };
	struct replay *r;
	unsigned seed = 42;

	if (state_pct < 0)
		write_cast_session(dir);
	else
		write_session(dir, state_pct);
	t0 = now_ms();
	c0 = cpu_ms();
	r = replay_open(dir, &err);
	if (!r) {
		fprintf(stderr, "bench_replay: %s\n", err.msg);
		return 1;
	}
	screen_work(r);
	open_ms = now_ms() - t0;
	open_cpu = cpu_ms() - c0;
	for (int i = 0; i < N_SEEKS; i++) {
		uint64_t to = (uint64_t)rand_r(&seed) % (replay_count(r) + 1);

		t0 = now_ms();
		replay_seek(r, to, NULL);
		screen_work(r);
		seeks[i] = now_ms() - t0;
	}
	qsort(seeks, N_SEEKS, sizeof(seeks[0]), cmp_double);
	print_figures(state_pct, replay_count(r), open_ms, open_cpu, seeks,
		      peak_rss_mb());
	replay_free(r);
	free(dir);
	return 0;
}

static int
run_child(const char *tmpl, int state_pct)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int rc = bench(tmpl, state_pct);

		fflush(stdout);
		_exit(rc);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int
main(void)
{
	char tmpl[] = "./bench-replay-XXXXXX";
	char *cmd;
	int rc;

	if (!mkdtemp(tmpl))
		return 1;
	/* Each in its own process, so each peak RSS is its own. */
	rc = run_child(tmpl, 40);
	if (rc == 0)
		rc = run_child(tmpl, 100);
	if (rc == 0)
		rc = run_child(tmpl, -1);
	cmd = xasprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_replay: could not remove %s\n", tmpl);
	free(cmd);
	return rc;
}
