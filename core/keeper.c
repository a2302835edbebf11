/* The keeper: forks `sh -c COMMAND` into a process group of its own,
 * tells the console the command's pid, waits for it, records how it
 * ended in a status file (written to a temporary name, synced, renamed
 * into place, the folder synced) and ends the same way. */
#include "config.h"
#include "keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "proctitle.h"
#include "xalloc.h"

#define STATUS_MAX 4096		/* a status file is a few hundred bytes */

static int enabled;
static volatile sig_atomic_t command_pid;

void
keeper_enable(void)
{
	enabled = 1;
}

int
keeper_is_enabled(void)
{
	return enabled;
}

int
keeper_is_asked(int argc, char **argv)
{
	return argc > 1 && strcmp(argv[1], KEEPER_ARG) == 0;
}

char *
keeper_status_path(const char *cast)
{
	size_t len = strlen(cast);

	if (len > 5 && strcmp(cast + len - 5, ".cast") == 0)
		return xasprintf("%.*s.status", (int)(len - 5), cast);
	return xasprintf("%s.status", cast);
}

static int64_t
now_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A stop meant for the keeper (someone killed the pid ps shows first) is
 * meant for the command: pass it on to the command's group. */
static void
on_stop_signal(int signo)
{
	if (command_pid > 0)
		kill(-(pid_t)command_pid, signo);
}

static void
set_handler(int signo, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(signo, &sa, NULL);
}

static void
keeper_signals(void)
{
	set_handler(SIGTERM, on_stop_signal);
	set_handler(SIGINT, on_stop_signal);
	set_handler(SIGQUIT, on_stop_signal);
	/* A closed terminal must not end the record, nor a gone reader. */
	set_handler(SIGHUP, SIG_IGN);
	set_handler(SIGPIPE, SIG_IGN);
}

static void __attribute__((noreturn))
exec_command(const char *command)
{
	sigset_t none;

	setpgid(0, 0);
	set_handler(SIGTERM, SIG_DFL);
	set_handler(SIGINT, SIG_DFL);
	set_handler(SIGQUIT, SIG_DFL);
	set_handler(SIGHUP, SIG_DFL);
	set_handler(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	fprintf(stderr, "rewind: exec /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

/* Fork the command with the stop signals held back until its pid is
 * known, so that a stop arriving meanwhile is passed on, not lost. */
static pid_t
start_command(const char *command)
{
	sigset_t stops, old;
	pid_t pid;

	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stops, &old);
	pid = fork();
	if (pid == 0)
		exec_command(command);
	if (pid > 0) {
		setpgid(pid, pid);
		command_pid = pid;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static void
tell_pid(pid_t pid)
{
	char line[32];
	int len = snprintf(line, sizeof(line), "%ld\n", (long)pid);
	ssize_t n = write(KEEPER_PID_FD, line, (size_t)len);

	(void)n;
	close(KEEPER_PID_FD);
}

static void
name_keeper(pid_t pid, const char *status_path)
{
	char title[512];

	snprintf(title, sizeof(title), "rewind: keeper of pid %ld "
		 "(its exit status to %s)", (long)pid, status_path);
	proctitle_set("rewind-keep", title);
}

static char *
status_text(const struct keeper_status *st)
{
	cJSON *o = cJSON_CreateObject();
	char when[40];
	char *text;

	cJSON_AddNumberToObject(o, "pid", (double)st->pid);
	cJSON_AddNumberToObject(o, "keeper_pid", (double)st->keeper_pid);
	cJSON_AddNumberToObject(o, "exit", st->exit_code);
	cJSON_AddNumberToObject(o, "signal", st->term_signal);
	cJSON_AddStringToObject(o, "started", clock_format_rfc3339(
					st->started_us, when, sizeof(when)));
	cJSON_AddStringToObject(o, "ended", clock_format_rfc3339(
					st->ended_us, when, sizeof(when)));
	cJSON_AddNumberToObject(o, "duration_ms",
				(double)(st->duration_us / 1000));
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static int
write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
sync_dir_of(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int fd;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Write ST to PATH whole or not at all: a reader finds either no file or
 * the complete record, even after a crash. */
static int
write_status(const char *path, const struct keeper_status *st)
{
	char *tmp = xasprintf("%s.tmp", path);
	char *text = status_text(st);
	int fd, rc = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		rc = write_all(fd, text, strlen(text));
		if (rc == 0)
			rc = write_all(fd, "\n", 1);
		if (rc == 0)
			rc = fsync(fd);
		if (close(fd) < 0)
			rc = -1;
		if (rc == 0)
			rc = rename(tmp, path);
		if (rc < 0)
			unlink(tmp);
	}
	if (rc == 0)
		sync_dir_of(path);
	else
		fprintf(stderr, "rewind: keeper: cannot record the exit status "
			"in %s: %s\n", path, strerror(errno));
	free(text);
	free(tmp);
	return rc;
}

/* End as the command did: its exit status, or its signal (no core). */
static void __attribute__((noreturn))
end_like(int status)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;
	int signo;

	if (!WIFSIGNALED(status))
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	signo = WTERMSIG(status);
	setrlimit(RLIMIT_CORE, &none);
	set_handler(signo, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(signo);
	_exit(128 + signo);
}

int
keeper_main(int argc, char **argv)
{
	struct keeper_status st = { 0 };
	int64_t offset, mono0;
	char *status_path;
	int status;
	pid_t pid;

	if (argc != 5) {
		fprintf(stderr, "rewind: %s is for rewind's own use\n",
			KEEPER_ARG);
		return 2;
	}
	fcntl(KEEPER_PID_FD, F_SETFD, FD_CLOEXEC);
	/* The title is written over the arguments: keep the path apart. */
	status_path = xstrdup(argv[2]);
	offset = strtoll(argv[3], NULL, 10);
	keeper_signals();
	st.keeper_pid = (long)getpid();
	st.started_us = now_us(CLOCK_REALTIME) + offset;
	mono0 = now_us(CLOCK_MONOTONIC);
	pid = start_command(argv[4]);
	if (pid < 0) {
		fprintf(stderr, "rewind: keeper: fork: %s\n", strerror(errno));
		return 127;
	}
	tell_pid(pid);
	name_keeper(pid, status_path);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	st.pid = (long)pid;
	st.ended_us = now_us(CLOCK_REALTIME) + offset;
	st.duration_us = now_us(CLOCK_MONOTONIC) - mono0;
	st.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	st.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	command_pid = 0;
	write_status(status_path, &st);
	free(status_path);
	end_like(status);
}

/* ---- reading ---------------------------------------------------------- */

static int
num(const cJSON *o, const char *name, double *v)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(n))
		return -1;
	*v = n->valuedouble;
	return 0;
}

static int
parse_status(const cJSON *o, struct keeper_status *st)
{
	const cJSON *started = cJSON_GetObjectItemCaseSensitive(o, "started");
	const cJSON *ended = cJSON_GetObjectItemCaseSensitive(o, "ended");
	double pid, kpid, code, signo, ms;

	if (num(o, "pid", &pid) < 0 || num(o, "keeper_pid", &kpid) < 0 ||
	    num(o, "exit", &code) < 0 || num(o, "signal", &signo) < 0 ||
	    num(o, "duration_ms", &ms) < 0 || !cJSON_IsString(started) ||
	    !cJSON_IsString(ended) ||
	    clock_parse_rfc3339(started->valuestring, &st->started_us) < 0 ||
	    clock_parse_rfc3339(ended->valuestring, &st->ended_us) < 0 ||
	    signo < 0 || signo > 64 || code < -1 || code > 255)
		return -1;
	st->pid = (long)pid;
	st->keeper_pid = (long)kpid;
	st->exit_code = (int)code;
	st->term_signal = (int)signo;
	st->duration_us = (int64_t)ms * 1000;
	return 0;
}

int
keeper_read_status(const char *path, struct keeper_status *st,
		   struct err *err)
{
	char buf[STATUS_MAX];
	FILE *f = fopen(path, "re");
	size_t n;
	cJSON *o;
	int rc;

	if (!f)
		return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	o = cJSON_Parse(buf);
	memset(st, 0, sizeof(*st));
	rc = o && parse_status(o, st) == 0 ? 0 : -1;
	cJSON_Delete(o);
	if (rc < 0)
		return err_set(err, ERR_PARSE, "%s: not a keeper's status "
			       "record", path);
	return 0;
}
