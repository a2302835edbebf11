/* Tags benchmark: on a generated 50,000-tag packed repository, rewind's
 * tags_read (list, peel, sort, details of the rows a pane shows) against
 * `git tag --sort=-v:refname` on the same repository, and the CPU an idle
 * tag watcher uses. */
#include "config.h"
#include "bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "loop.h"
#include "tags.h"
#include "tagwatch.h"
#include "xalloc.h"

#define N_TAGS 50000
#define N_RUNS 9
#define IDLE_SECONDS 3.0

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

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int
make_repo(const char *dir)
{
	const char *srcdir = getenv("REWIND_SRCDIR");
	char *cmd = xasprintf("sh '%s/tests/fixtures/mktags.sh' '%s' %d "
			      ">/dev/null", srcdir && *srcdir ? srcdir : ".",
			      dir, N_TAGS);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* One run of git tag --sort=-v:refname, output to /dev/null. */
static double
time_git(const char *dir)
{
	double t0 = now_s();
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execlp("git", "git", "-C", dir, "tag", "--sort=-v:refname",
		       (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_tags: git tag failed\n");
		exit(1);
	}
	return now_s() - t0;
}

static double
time_rewind(const char *dir, size_t n_detailed)
{
	struct err err = { 0 };
	double t0 = now_s();
	struct tag_list *tl = tags_read_ex(dir, n_detailed, &err);
	double t = now_s() - t0;

	if (!tl || tl->n_tags != N_TAGS) {
		fprintf(stderr, "bench_tags: tags_read: %s\n",
			tl ? "wrong count" : err.msg);
		exit(1);
	}
	tag_list_free(tl);
	return t;
}

static void
compare(const char *dir)
{
	double git[N_RUNS], ours[N_RUNS], full[N_RUNS];
	double g, o, f;

	time_git(dir);
	time_rewind(dir, TAGS_DETAILED);
	for (int i = 0; i < N_RUNS; i++) {
		git[i] = time_git(dir);
		ours[i] = time_rewind(dir, TAGS_DETAILED);
		full[i] = time_rewind(dir, 0);
	}
	g = median(git, N_RUNS);
	o = median(ours, N_RUNS);
	f = median(full, N_RUNS);
	printf("tags: %d tags, median of %d%s\n", N_TAGS, N_RUNS, BUILD_NOTE);
	printf("  git tag --sort=-v:refname      %7.1f ms (with process "
	       "start)\n", g * 1e3);
	printf("  rewind tags_read (pane ready)  %7.1f ms (in process)\n",
	       o * 1e3);
	printf("  ratio                          %7.2fx (goal <= 1.0x) %s\n",
	       o / g, bench_verdict(o / g <= 1.0));
	printf("  rewind with every tag's date   %7.1f ms (what the watcher "
	       "adds in the background)\n", f * 1e3);
}

static void
on_list(const struct tag_list *tl, void *arg)
{
	(void)tl;
	(*(int *)arg)++;
}

/* Let the watcher finish its reads, then measure the process's CPU over
 * a few idle seconds of the loop. */
static void
idle_watch(const char *dir)
{
	struct loop *l = loop_new(NULL);
	int n_lists = 0;
	struct tagwatch *w = tagwatch_new(l, dir, on_list, &n_lists, NULL);
	double t0 = now_s(), c0, wall;

	while (n_lists < 2 && now_s() - t0 < 10)
		loop_run_once(l, 100000);
	t0 = now_s();
	c0 = cpu_s();
	while (now_s() - t0 < IDLE_SECONDS)
		loop_run_once(l, 1000000);
	wall = now_s() - t0;
	printf("  idle tag watcher: %.1f ms CPU in %.1f s = %.3f%% of a core "
	       "(goal < 1%%; %d lists) %s\n", (cpu_s() - c0) * 1e3, wall,
	       100.0 * (cpu_s() - c0) / wall, n_lists,
	       bench_verdict(100.0 * (cpu_s() - c0) / wall < 1.0));
	tagwatch_free(w);
	loop_free(l);
}

int
main(void)
{
	const char *base = getenv("TMPDIR");
	char *tmp = xasprintf("%s/rewind-bench-tags-XXXXXX",
			      base && *base ? base : "/tmp");
	char *dir, *rm;
	double t0;

	if (!mkdtemp(tmp)) {
		perror(tmp);
		return 1;
	}
	dir = xasprintf("%s/repo", tmp);
	t0 = now_s();
	if (make_repo(dir) < 0) {
		fprintf(stderr, "bench_tags: mktags.sh failed\n");
		return 1;
	}
	printf("tags: generated %d tags in %.1f s\n", N_TAGS, now_s() - t0);
	compare(dir);
	idle_watch(dir);
	rm = xasprintf("rm -rf '%s'", tmp);
	if (system(rm) != 0)
		fprintf(stderr, "bench_tags: could not remove %s\n", tmp);
	free(rm);
	free(dir);
	free(tmp);
	return 0;
}
