/* Benchmark: the post-mortem of a 10,000-event session (goal < 200 ms).
 * The journal is written with a valid hash chain, then report_build and
 * the Markdown rendering are timed together. */
#include "config.h"
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "journal.h"
#include "report.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define N_EVENTS 10000

static const char *const types[] = { "step.started", "step.finished",
				     "step.ticked", "note.added", "var.set" };

static void
write_journal(const char *path)
{
	struct strbuf line = STRBUF_INIT, all = STRBUF_INIT;
	char prev[65] = JOURNAL_GENESIS;
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	for (int i = 1; i <= N_EVENTS; i++) {
		struct journal_event ev = { 0 };
		const char *type = i == 1 ? "session.started"
				 : types[i % 5];

		ev.seq = (uint64_t)i;
		ev.wall_us = 1767261600LL * 1000000 + i * 1000000LL;
		ev.mono_us = i * 1000000LL;
		ev.actor = xstrdup("olga");
		ev.type = xstrdup(type);
		ev.phase = xstrdup("execute");
		ev.step = xstrdup("execute.restart");
		ev.payload = cJSON_CreateObject();
		cJSON_AddStringToObject(ev.payload, "note", "routine event");
		cJSON_AddStringToObject(ev.payload, "text", "bench note");
		cJSON_AddStringToObject(ev.payload, "name", "RESTORE_VERSION");
		cJSON_AddStringToObject(ev.payload, "value", "1.3.2");
		cJSON_AddBoolToObject(ev.payload, "ok", 1);
		cJSON_AddNumberToObject(ev.payload, "exit", 0);
		cJSON_AddNumberToObject(ev.payload, "duration_ms", 12);
		memcpy(ev.prev, prev, sizeof(prev));
		journal_format_line(&line, &ev);
		sha256_hex(line.buf, line.len, prev);
		strbuf_add(&all, line.buf, line.len);
		strbuf_addc(&all, '\n');
		journal_event_done(&ev);
	}
	fwrite(all.buf, 1, all.len, f);
	fclose(f);
	strbuf_done(&line);
	strbuf_done(&all);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

int
main(void)
{
	char dir[] = "rewind-bench-report-XXXXXX";	/* in the build dir */
	char *jpath, *cmd;
	struct strbuf md = STRBUF_INIT;
	struct err err = { 0 };
	double t0, ms;
	cJSON *rep;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	jpath = xasprintf("%s/journal.jsonl", dir);
	write_journal(jpath);
	t0 = now_ms();
	rep = report_build(dir, &err);
	if (!rep) {
		fprintf(stderr, "bench_report: %s\n", err.msg);
		return 1;
	}
	report_render_md(rep, &md);
	ms = now_ms() - t0;
	printf("bench_report: %d-event session report in %.1f ms (goal < 200 ms)"
	       " %s\n", N_EVENTS, ms, bench_verdict(ms < 200));
	cJSON_Delete(rep);
	strbuf_done(&md);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_report: could not remove %s\n", dir);
	free(cmd);
	free(jpath);
	return 0;
}
