/* rewind-keep, the keeper program (keeper.h): forks `sh -c COMMAND` into
 * a process group of its own, tells the console the command's pid, waits
 * for it, records how it ended in a status file (written to a temporary
 * name, synced, renamed into place, the folder synced) and ends the same
 * way. It links only the C library: it starts before every step's
 * command, and a program with the console's libraries took about 20 ms
 * to start (48 shared libraries, ICU among them). */
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

#include "clock.h"
#include "proctitle.h"

#define STATUS_TEXT_MAX 512	/* the record is under 250 bytes */

static volatile sig_atomic_t command_pid;

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

/* The record as one JSON line into BUF (the same text cJSON would print:
 * every value is a number or a timestamp, nothing to escape). */
static void
status_text(const struct keeper_status *st, char *buf, size_t size)
{
	char started[40], ended[40];

	clock_format_rfc3339(st->started_us, started, sizeof(started));
	clock_format_rfc3339(st->ended_us, ended, sizeof(ended));
	snprintf(buf, size, "{\"pid\":%ld,\"keeper_pid\":%ld,\"exit\":%d,"
		 "\"signal\":%d,\"started\":\"%s\",\"ended\":\"%s\","
		 "\"duration_ms\":%lld}\n", st->pid, st->keeper_pid,
		 st->exit_code, st->term_signal, started, ended,
		 (long long)(st->duration_us / 1000));
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
sync_dir_of(char *path)
{
	char *slash = strrchr(path, '/');
	int fd;

	if (slash == path)
		fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else if (slash) {
		*slash = '\0';
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		*slash = '/';
	} else
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Write ST to PATH whole or not at all: a reader finds either no file or
 * the complete record, even after a crash. TMP has room for PATH.tmp. */
static int
write_status(char *path, char *tmp, const struct keeper_status *st)
{
	char text[STATUS_TEXT_MAX];
	int fd, rc = -1;

	status_text(st, text, sizeof(text));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		rc = write_all(fd, text, strlen(text));
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

/* The title is written over the arguments: keep the status file's path
 * apart, with its temporary name beside it (*TMP, in the same block), so
 * nothing needs memory once the command ran. NULL when out of memory. */
static char *
copy_paths(const char *path, char **tmp)
{
	size_t len = strlen(path);
	char *copy = malloc(2 * len + 6);

	if (!copy)
		return NULL;
	*tmp = copy + len + 1;
	memcpy(copy, path, len + 1);
	memcpy(*tmp, path, len);
	memcpy(*tmp + len, ".tmp", 5);
	return copy;
}

int
main(int argc, char **argv)
{
	struct keeper_status st = { 0 };
	int64_t offset, mono0;
	char *status_path, *tmp_path;
	int status;
	pid_t pid;

	if (argc != 5 || strcmp(argv[1], KEEPER_ARG) != 0) {
		fprintf(stderr, "rewind-keep: it is for rewind's own use\n");
		return 2;
	}
	proctitle_init(argc, argv);
	fcntl(KEEPER_PID_FD, F_SETFD, FD_CLOEXEC);
	status_path = copy_paths(argv[2], &tmp_path);
	if (!status_path) {
		fprintf(stderr, "rewind-keep: out of memory\n");
		return 127;
	}
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
	write_status(status_path, tmp_path, &st);
	free(status_path);
	end_like(status);
}

