/* Idle cost of the live sources: a live session with a git target, an npm
 * registry target on the loopback fixture server, two followed logs and
 * an http target, left alone on its loop for a few seconds. Prints the
 * CPU time used (all threads) as a share of one core; goal < 1%. */
#include "config.h"
#include "bench.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "loop.h"
#include "registry.h"
#include "session.h"
#include "sources.h"
#include "strbuf.h"
#include "xalloc.h"

#define IDLE_SECONDS 5.0

static const char routes[] =
	"{\"/api/v1/health\": {\"body\": {\"status\": \"healthy\"}},"
	" \"/reg/mypkg\": {\"headers\": {\"Content-Type\": "
	"\"application/json\"}, \"body\": {\"name\": \"mypkg\", "
	"\"dist-tags\": {\"latest\": \"1.1.0\"}, "
	"\"versions\": {\"1.0.0\": {}, \"1.1.0\": {}}}}}";

struct server {
	pid_t pid;
	int in_fd;
	int port;
};

static void
die(const char *what)
{
	fprintf(stderr, "bench_idle: %s\n", what);
	exit(1);
}

static char *
write_text(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		die(path);
	return path;
}

static void
start_server(struct server *sv, const char *srcdir, const char *dir)
{
	char *routes_path = write_text(dir, "routes.json", routes);
	char *script = xasprintf("%s/tests/fixtures/fixsrv.py", srcdir);
	int in[2], out[2];
	char buf[64] = "";
	struct pollfd p;

	if (pipe(in) < 0 || pipe(out) < 0 || (sv->pid = fork()) < 0)
		die("cannot start the fixture server");
	if (sv->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("python3", "python3", script, routes_path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	sv->in_fd = in[1];
	p = (struct pollfd){ .fd = out[0], .events = POLLIN };
	if (poll(&p, 1, 15000) <= 0 || read(out[0], buf, sizeof(buf) - 1) <= 0 ||
	    sscanf(buf, "PORT %d", &sv->port) != 1)
		die("the fixture server did not start");
	close(out[0]);
	free(routes_path);
	free(script);
}

static void
stop_server(struct server *sv)
{
	int status;

	close(sv->in_fd);
	for (int i = 0; i < 300; i++) {
		if (waitpid(sv->pid, &status, WNOHANG) == sv->pid)
			return;
		usleep(10000);
	}
	kill(sv->pid, SIGKILL);
	waitpid(sv->pid, &status, 0);
}

static char *
playbook_text(const char *dir, int port)
{
	return xasprintf(
		"{\"id\": \"bench-idle\", \"title\": \"idle sources\","
		" \"targets\": {\"git\": {\"path\": \"%s/repo\"},"
		"  \"registry\": [{\"type\": \"npm\", \"name\": \"mypkg\","
		"    \"url\": \"http://127.0.0.1:%d/reg/\"}],"
		"  \"logs\": [{\"name\": \"app\", \"path\": \"%s/app.log\","
		"    \"patterns\": [{\"name\": \"errors\", \"regex\": \"ERROR\","
		"     \"threshold\": 10, \"window\": \"5m\"}]},"
		"   {\"name\": \"worker\", \"path\": \"%s/worker.log\"}],"
		"  \"http\": [{\"name\": \"api\","
		"    \"url\": \"http://127.0.0.1:%d/api/v1/health\"}]},"
		" \"phases\": [{\"id\": \"assess\", \"steps\": ["
		"  {\"id\": \"a.look\", \"kind\": \"check\", \"title\": \"look\"}]},"
		"  {\"id\": \"decide\", \"steps\": []},"
		"  {\"id\": \"approve\", \"steps\": []},"
		"  {\"id\": \"execute\", \"steps\": []},"
		"  {\"id\": \"verify\", \"steps\": []},"
		"  {\"id\": \"communicate\", \"steps\": []}]}",
		dir, port, dir, dir, port);
}

static void
make_repo(const char *dir)
{
	char *cmd = xasprintf(
		"cd '%s' && git init -q repo && cd repo && "
		"git -c user.name=bench -c user.email=bench@example.test "
		"commit -q --allow-empty -m one && git tag v1.0.0 && "
		"git -c user.name=bench -c user.email=bench@example.test "
		"commit -q --allow-empty -m two && git tag v1.1.0", dir);

	if (system(cmd) != 0)
		die("git failed");
	free(cmd);
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Run L for SECS of wall time. */
static void
run_for(struct loop *l, double secs)
{
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(secs * 1e6);

	while (clock_mono_now(c) < end)
		loop_run_once(l, end - clock_mono_now(c));
}

int
main(void)
{
	const char *srcdir = getenv("REWIND_SRCDIR");
	const char *tmpdir = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/rewind-bench-idle-XXXXXX",
			       tmpdir && *tmpdir ? tmpdir : "/tmp");
	char *dir = mkdtemp(tmpl), *pb_path, *text, *sdir, *cmd;
	struct server sv;
	struct loop *l = loop_new(NULL);
	struct session_opts o = { 0 };
	struct session *s;
	struct err err;
	double cpu0, cpu1;

	if (!srcdir || !dir)
		die("set REWIND_SRCDIR (make bench does)");
	setenv("XDG_CACHE_HOME", dir, 1);
	make_repo(dir);
	free(write_text(dir, "app.log", "INFO started\n"));
	free(write_text(dir, "worker.log", "INFO started\n"));
	start_server(&sv, srcdir, dir);
	text = playbook_text(dir, sv.port);
	pb_path = write_text(dir, "playbook.json", text);
	sdir = xasprintf("%s/session", dir);
	o.dir = sdir;
	o.playbook = pb_path;
	o.mode = SESSION_LIVE;
	o.operator = "bench";
	o.loop = l;
	if (!(s = session_open(&o, &err)))
		die(err.msg);
	run_for(l, 1.0);	/* first reads and fetches */
	if (!sources_registry(session_sources(s), 0)->has_data)
		die("the registry answer did not arrive");
	cpu0 = cpu_seconds();
	run_for(l, IDLE_SECONDS);
	cpu1 = cpu_seconds();
	printf("bench_idle: CPU while idle with live sources (git, npm "
	       "registry, 2 logs, http target) over %.0f s: %.3f%% of a core "
	       "(goal < 1%%) %s\n", IDLE_SECONDS,
	       100.0 * (cpu1 - cpu0) / IDLE_SECONDS,
	       bench_verdict(100.0 * (cpu1 - cpu0) / IDLE_SECONDS < 1.0));
	session_free(s);
	loop_free(l);
	stop_server(&sv);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_idle: could not remove %s\n", dir);
	free(cmd);
	free(text);
	free(pb_path);
	free(sdir);
	free(tmpl);
	return 0;
}
