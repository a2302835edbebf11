/* The console's side of the keeper (keeper_main.c is the keeper): where
 * its program is, and what its status files say. */
#include "config.h"
#include "keeper.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "xalloc.h"

#define STATUS_MAX 4096		/* a status file is a few hundred bytes */

static char *program;		/* the keeper's, once enabled */

void
keeper_enable(const char *path)
{
	free(program);
	program = path ? xstrdup(path) : NULL;
}

const char *
keeper_program(void)
{
	return program;
}

int
keeper_is_enabled(void)
{
	return program != NULL;
}

char *
keeper_find(const char *exe)
{
	const char *slash = exe ? strrchr(exe, '/') : NULL;
	char *beside;

	if (slash) {
		beside = xasprintf("%.*s/" KEEPER_PROGRAM, (int)(slash - exe),
				   exe);
		if (access(beside, X_OK) == 0)
			return beside;
		free(beside);
	}
	return xstrdup(REWIND_PKGLIBEXECDIR "/" KEEPER_PROGRAM);
}

char *
keeper_find_for_self(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return keeper_find(NULL);
	exe[n] = '\0';
	return keeper_find(exe);
}

char *
keeper_status_path(const char *cast)
{
	size_t len = strlen(cast);

	if (len > 5 && strcmp(cast + len - 5, ".cast") == 0)
		return xasprintf("%.*s.status", (int)(len - 5), cast);
	return xasprintf("%s.status", cast);
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
