/* Journal benchmark: durable appends against a bare write+fdatasync loop
 * on the same disk, and the time to open and check a 100,000-event file. */
#include "config.h"

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
#define N_OPEN 100000

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

/* Ticks per second of a bare loop: write a ~200-byte line, fdatasync. */
static double
bench_bare(const char *dir)
{
	char *path = xasprintf("%s/bare.jsonl", dir);
	char line[201];
	double t0, rate = -1;
	int fd;

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "bench: open %s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	t0 = now_s();
	for (int i = 0; i < N_TICKS; i++)
		if (write(fd, line, sizeof(line)) != (ssize_t)sizeof(line) ||
		    fdatasync(fd) < 0)
			goto out;
	rate = N_TICKS / (now_s() - t0);
out:
	close(fd);
	unlink(path);
	free(path);
	return rate;
}

/* Ticks per second of journal_append with the payload above. */
static double
bench_append(const char *dir)
{
	char *path = xasprintf("%s/ticks.jsonl", dir);
	cJSON *payload = make_payload();
	struct err err = { 0 };
	struct journal *j;
	double t0, rate = -1;

	j = journal_open(path, clock_system(), NULL, NULL, &err);
	if (!j)
		goto out;
	t0 = now_s();
	for (int i = 0; i < N_TICKS; i++)
		if (!journal_append(j, "alice", "step.ticked", "verify",
				    "verify.health", payload, NULL, &err))
			goto out;
	rate = N_TICKS / (now_s() - t0);
out:
	if (rate < 0)
		fprintf(stderr, "bench: %s\n", err.msg);
	journal_free(j);
	cJSON_Delete(payload);
	unlink(path);
	free(path);
	return rate;
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
	double bare, ticks, ms;

	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench: mkdtemp %s: %s\n", dir, strerror(errno));
		free(dir);
		return 1;
	}
	bare = bench_bare(dir);
	ticks = bench_append(dir);
	ms = bench_open(dir);
	rmdir(dir);
	free(dir);
	if (bare <= 0 || ticks <= 0 || ms < 0)
		return 1;
	printf("journal: durable ticks/s %.0f vs bare write+fdatasync %.0f "
	       "-> ratio %.2f (goal >= 0.80)\n", ticks, bare, ticks / bare);
	printf("journal: open+scan %d events: %.0f ms (goal < 200 ms)\n",
	       N_OPEN, ms);
	return 0;
}
