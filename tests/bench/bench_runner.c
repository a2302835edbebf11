/* Benchmark: a million lines through the runner, with an asciicast file,
 * reporting wall time and the peak RSS of this process. */
#include "config.h"
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "loop.h"
#include "runner.h"
#include "xalloc.h"

#define N_LINES 1000000

struct bench {
	uint64_t n_lines;	/* counted by on_line */
	int is_done;
	struct proc_result res;
};

static void
on_line(struct proc *p, int stream, const char *line, size_t len, void *arg)
{
	(void)p;
	(void)stream;
	(void)line;
	(void)len;
	((struct bench *)arg)->n_lines++;
}

static void
on_exit_cb(struct proc *p, const struct proc_result *res, void *arg)
{
	struct bench *b = arg;

	(void)p;
	b->res = *res;
	b->is_done = 1;
}

/* Run COMMAND writing its cast to CAST; returns 0 when it ran cleanly. */
static int
run(const char *command, const char *cast, struct bench *b)
{
	struct loop *l = loop_new(NULL);
	struct err err = { 0 };
	struct runner *r = runner_new(l, &err);
	struct proc_spec spec = { .command = command, .cast_path = cast,
				  .stdin_null = 1, .on_line = on_line,
				  .on_exit = on_exit_cb, .arg = b };
	int rc = -1;

	if (!r || !runner_spawn(r, &spec, &err)) {
		fprintf(stderr, "bench_runner: %s\n", err.msg);
		goto out;
	}
	while (!b->is_done)
		if (loop_run_once(l, -1) < 0)
			goto out;
	rc = 0;
out:
	runner_free(r);
	loop_free(l);
	return rc;
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/rewind-bench-XXXXXX", tmp && *tmp ? tmp
								      : "/tmp");
	char *cast = NULL;
	struct bench b = { 0 };
	struct rusage ru;
	int64_t start;
	int rc;

	if (!mkdtemp(dir)) {
		perror("bench_runner: mkdtemp");
		return 1;
	}
	cast = xasprintf("%s/out.cast", dir);
	start = clock_mono_now(clock_system());
	rc = run("seq 1 1000000", cast, &b);
	start = clock_mono_now(clock_system()) - start;
	getrusage(RUSAGE_SELF, &ru);
	unlink(cast);
	rmdir(dir);
	if (rc == 0 && (b.n_lines != N_LINES || b.res.exit_code != 0)) {
		fprintf(stderr, "bench_runner: got %llu lines, exit %d\n",
			(unsigned long long)b.n_lines, b.res.exit_code);
		rc = -1;
	}
	printf("runner: %llu lines in %lld ms, peak RSS %ld MB (goal < 32 MB) "
	       "%s\n", (unsigned long long)b.n_lines, (long long)(start / 1000),
	       (ru.ru_maxrss + 1023) / 1024,
	       bench_verdict((ru.ru_maxrss + 1023) / 1024 < 32));
	free(cast);
	free(dir);
	return rc ? 1 : 0;
}
