/* What keeping a command's output costs the command itself, whoever
 * keeps it: the same command (default: a million lines from seq) run by
 * /bin/sh -c with its output to /dev/null, into a pipe whose reader only
 * discards (1 MiB pipe, 1 MiB reads), and into an in-memory file (memfd).
 * Best of 15 each. The console's flood benchmark compares its step's wall
 * time with these: a ratio to /dev/null below the pipe's own is out of
 * reach of any program that reads the output at all.
 * Also the command's own CPU time (user + system) into the pipe: a
 * reader that spends less keeps up with it on a core of its own.
 * With --quiet: the three times and that CPU in ms on one line. */
#define _GNU_SOURCE
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 15
#define CHUNK (1024 * 1024)

enum sink { SINK_NULL, SINK_PIPE, SINK_MEMFD };

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static pid_t
spawn(const char *command, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		dup2(out_fd, STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Read FD to its end, keeping nothing. */
static void
drain(int fd)
{
	static char buf[CHUNK];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static double
cpu_ms(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* One run of COMMAND into SINK: wall ms from fork to reaped (and, for
 * the pipe, read to its end), or -1; *CPU gets the command's CPU ms. */
static double
run_once(const char *command, enum sink sink, double *cpu)
{
	struct rusage ru;
	int fds[2] = { -1, -1 }, out;
	double t0;
	pid_t pid;

	if (sink == SINK_PIPE) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return -1;
		fcntl(fds[0], F_SETPIPE_SZ, CHUNK);
		out = fds[1];
	} else if (sink == SINK_MEMFD) {
		out = memfd_create("floor", MFD_CLOEXEC);
	} else {
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	if (out < 0)
		return -1;
	t0 = now_ms();
	pid = spawn(command, out);
	close(out);
	if (pid < 0)
		return -1;
	if (sink == SINK_PIPE) {
		drain(fds[0]);
		close(fds[0]);
	}
	if (wait4(pid, NULL, 0, &ru) < 0)
		return -1;
	*cpu = cpu_ms(&ru);
	return now_ms() - t0;
}

/* Best wall time of RUNS; *CPU gets the least CPU time among them. */
static double
best_of(const char *command, enum sink sink, double *cpu)
{
	double best = -1;

	*cpu = -1;
	for (int i = 0; i < RUNS; i++) {
		double c, t = run_once(command, sink, &c);

		if (t >= 0 && (best < 0 || t < best))
			best = t;
		if (t >= 0 && (*cpu < 0 || c < *cpu))
			*cpu = c;
	}
	return best;
}

int
main(int argc, char **argv)
{
	int quiet = argc > 1 && strcmp(argv[1], "--quiet") == 0;
	const char *command = argc > 1 + quiet ? argv[1 + quiet]
					       : "seq 1 1000000";
	double cpu, pipe_cpu;
	double null_ms = best_of(command, SINK_NULL, &cpu);
	double pipe_ms = best_of(command, SINK_PIPE, &pipe_cpu);
	double memfd_ms = best_of(command, SINK_MEMFD, &cpu);

	if (null_ms <= 0 || pipe_ms <= 0 || memfd_ms <= 0) {
		fprintf(stderr, "bench_floor: cannot run %s\n", command);
		return 1;
	}
	if (quiet) {
		printf("%.2f %.2f %.2f %.2f\n", null_ms, pipe_ms, memfd_ms,
		       pipe_cpu);
		return 0;
	}
	printf("floor: %s: %.2f ms to /dev/null, %.2f ms into a pipe read and "
	       "discarded (%.2fx), %.2f ms into memory (memfd, %.2fx); the "
	       "command's own CPU into the pipe %.2f ms\n",
	       command, null_ms, pipe_ms, pipe_ms / null_ms, memfd_ms,
	       memfd_ms / null_ms, pipe_cpu);
	return 0;
}
