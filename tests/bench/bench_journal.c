/* Journal benchmark: durable appends against a bare write+fdatasync loop
 * on the same disk, and the time to open and check a 100,000-event file. */
#include "config.h"
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "journal.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define N_TICKS 2000
#define N_ROUNDS 20
#define N_OPEN 100000

#ifdef __OPTIMIZE__
#define BUILD_NOTE ""
#else
#define BUILD_NOTE " [unoptimised build]"
#endif

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A payload of about 100 bytes, like a step tick with a note. */
static cJSON *
make_payload(void)
{
	cJSON *payload = cJSON_CreateObject();

	cJSON_AddStringToObject(payload, "note", "health check green on all "
				"twelve pods after rollback to v2.14.3");
	cJSON_AddNumberToObject(payload, "exit", 0);
	cJSON_AddNumberToObject(payload, "duration_ms", 1834);
	return payload;
}

/* The two loops being compared, each with its own file in the same
 * directory. */
struct tick_bench {
	int fd;			/* the bare loop's file */
	struct journal *j;
	cJSON *payload;
	char line[201];		/* the bare loop's ~200-byte line */
	double bare_s, journal_s;	/* time spent in each */
};

/* N bare iterations: write the line, fdatasync. */
static int
run_bare(struct tick_bench *b, int n)
{
	double t0 = now_s();

	for (int i = 0; i < n; i++)
		if (write(b->fd, b->line, sizeof(b->line)) !=
		    (ssize_t)sizeof(b->line) || fdatasync(b->fd) < 0) {
			fprintf(stderr, "bench: write: %s\n", strerror(errno));
			return -1;
		}
	b->bare_s += now_s() - t0;
	return 0;
}

/* N durable journal ticks. */
static int
run_journal(struct tick_bench *b, int n)
{
	struct err err = { 0 };
	double t0 = now_s();

	for (int i = 0; i < n; i++)
		if (!journal_append(b->j, "alice", "step.ticked", "verify",
				    "verify.health", b->payload, NULL, &err)) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return -1;
		}
	b->journal_s += now_s() - t0;
	return 0;
}

/* Alternate the two loops in short rounds, so that a change in disk load
 * from other processes hits both alike rather than skewing the ratio. */
static int
bench_ticks(const char *dir, double *bare_rate, double *journal_rate)
{
	char *bare = xasprintf("%s/bare.jsonl", dir);
	char *ticks = xasprintf("%s/ticks.jsonl", dir);
	struct tick_bench b = { .payload = make_payload() };
	struct err err = { 0 };
	int rc = -1;

	memset(b.line, 'x', sizeof(b.line) - 1);
	b.line[sizeof(b.line) - 1] = '\n';
	b.fd = open(bare, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	b.j = journal_open(ticks, clock_system(), NULL, NULL, &err);
	if (b.fd < 0 || !b.j)
		fprintf(stderr, "bench: open: %s\n", b.j ? strerror(errno)
							 : err.msg);
	for (int r = 0; b.fd >= 0 && b.j && r < N_ROUNDS; r++)
		if (run_bare(&b, N_TICKS / N_ROUNDS) < 0 ||
		    run_journal(&b, N_TICKS / N_ROUNDS) < 0)
			goto out;
	rc = b.fd >= 0 && b.j ? 0 : -1;
	*bare_rate = N_TICKS / b.bare_s;
	*journal_rate = N_TICKS / b.journal_s;
out:
	if (b.fd >= 0)
		close(b.fd);
	journal_free(b.j);
	cJSON_Delete(b.payload);
	unlink(bare);
	unlink(ticks);
	free(bare);
	free(ticks);
	return rc;
}

/* Write N_OPEN chained lines with the journal's own formatter but without
 * fdatasync, which would take minutes for a file this size. */
static int
write_big_journal(const char *path)
{
	char actor[] = "alice", type[] = "step.ticked";
	char phase[] = "verify", step[] = "verify.health";
	struct journal_event ev = {
		.wall_us = INT64_C(1795289400) * 1000000, .actor = actor,
		.type = type, .phase = phase, .step = step,
		.prev = JOURNAL_GENESIS,
	};
	struct strbuf sb = STRBUF_INIT;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	ev.payload = make_payload();
	for (ev.seq = 1; ev.seq <= N_OPEN; ev.seq++) {
		ev.wall_us += 1000;
		ev.mono_us += 1000;
		journal_format_line(&sb, &ev);
		sha256_hex(sb.buf, sb.len, ev.prev);
		strbuf_addc(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, f);
	}
	cJSON_Delete(ev.payload);
	strbuf_done(&sb);
	return fclose(f) == 0 ? 0 : -1;
}

static void
count_event(const struct journal_event *ev, void *arg)
{
	(void)ev;
	(*(uint64_t *)arg)++;
}

/* Milliseconds for journal_open to scan, check and deliver N_OPEN events. */
static double
bench_open(const char *dir)
{
	char *path = xasprintf("%s/big.jsonl", dir);
	struct err err = { 0 };
	struct journal *j = NULL;
	uint64_t n_seen = 0;
	double t0, ms = -1;

	if (write_big_journal(path) < 0) {
		fprintf(stderr, "bench: write %s: %s\n", path, strerror(errno));
		goto out;
	}
	t0 = now_s();
	j = journal_open(path, clock_system(), count_event, &n_seen, &err);
	if (j && n_seen == N_OPEN && journal_count(j) == N_OPEN)
		ms = (now_s() - t0) * 1000;
	else
		fprintf(stderr, "bench: open %s: %s (%llu events)\n", path,
			err.msg, (unsigned long long)n_seen);
out:
	journal_free(j);
	unlink(path);
	free(path);
	return ms;
}

int
main(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/rewind-bench-XXXXXX",
			      base && *base ? base : ".");
	double bare = 0, ticks = 0, ms = -1;
	int rc = 1;

	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench: mkdtemp %s: %s\n", dir, strerror(errno));
		free(dir);
		return 1;
	}
	if (bench_ticks(dir, &bare, &ticks) == 0 && (ms = bench_open(dir)) >= 0)
		rc = 0;
	rmdir(dir);
	free(dir);
	if (rc != 0)
		return rc;
	printf("journal: durable ticks/s %.0f vs bare write+fdatasync %.0f "
	       "-> ratio %.2f (goal >= 0.80) %s\n", ticks, bare, ticks / bare,
	       bench_verdict(ticks / bare >= 0.80));
	printf("journal: open+scan %d events: %.0f ms (goal < 200 ms)%s %s\n",
	       N_OPEN, ms, BUILD_NOTE, bench_verdict(ms < 200));
	return 0;
}
