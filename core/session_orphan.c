/* Runs a console left behind when it died. Each spawned run is journalled
 * with its pid, start time and boot (step.spawned), so that a console
 * resuming the session can tell whether that very process still runs (a
 * pid alone may belong to another process by then). A run left
 * unfinished is interrupted, its outcome unknown; while its process runs
 * it is an orphan: polled on the loop (it is not our child, so it cannot
 * be reaped or waited for), and stopped only when the operator asks. */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cast.h"
#include "clock.h"
#include "err.h"
#include "loop.h"
#include "identity.h"
#include "keeper.h"
#include "procstat.h"
#include "session_int.h"
#include "xalloc.h"

#define ORPHAN_POLL_US 200000
#define ORPHAN_KILL_GRACE_US 2000000
#define ORPHAN_DRAIN_WAIT_US 2000000	/* for the drainer's last lines */
#define CAST_TAIL_READ 65536		/* the end of a cast read for its tail */

/* The keeper KEEPER_PID of a run, into P: its pid and start time, and
 * where it writes how the run ended. */
static void
add_keeper(const struct step_rt *rt, long keeper_pid, cJSON *p)
{
	cJSON *k = cJSON_AddObjectToObject(p, "keeper");
	struct procstat st;

	cJSON_AddNumberToObject(k, "pid", (double)keeper_pid);
	if (procstat_read((pid_t)keeper_pid, &st) == 0) {
		char start[32];

		snprintf(start, sizeof(start), "%llu", st.start);
		cJSON_AddStringToObject(k, "start_time", start);
	}
	if (rt->cast_rel) {
		char *status = keeper_status_path(rt->cast_rel);

		cJSON_AddStringToObject(k, "status_file", status);
		free(status);
	}
}

int
session_record_spawn(struct session *s, struct step_rt *rt, long pid,
		     long keeper_pid, const char *actor, struct err *err)
{
	struct procstat st;
	char boot[64];
	cJSON *p = cJSON_CreateObject();

	cJSON_AddNumberToObject(p, "pid", (double)pid);
	if (procstat_read((pid_t)pid, &st) == 0) {
		char start[32];

		/* A string: clock ticks since boot can pass 2^53. */
		snprintf(start, sizeof(start), "%llu", st.start);
		cJSON_AddStringToObject(p, "start_time", start);
		cJSON_AddNumberToObject(p, "pgid", (double)st.pgrp);
	}
	procstat_boot_id(boot, sizeof(boot));
	if (*boot)
		cJSON_AddStringToObject(p, "boot_id", boot);
	if (keeper_pid > 0)
		add_keeper(rt, keeper_pid, p);
	return session_record(s, actor, "step.spawned", rt->def->id, p, err);
}

void
session_add_console(cJSON *p)
{
	struct procstat st;
	char boot[64];
	cJSON *c = cJSON_AddObjectToObject(p, "console");

	cJSON_AddNumberToObject(c, "pid", (double)getpid());
	/* whose login drives it: a sign-off from another terminal by the
	 * same login is flagged (session_provenance) */
	cJSON_AddStringToObject(c, "login", identity_real_login());
	if (procstat_read(getpid(), &st) == 0) {
		char start[32];

		snprintf(start, sizeof(start), "%llu", st.start);
		cJSON_AddStringToObject(c, "start_time", start);
	}
	procstat_boot_id(boot, sizeof(boot));
	if (*boot)
		cJSON_AddStringToObject(c, "boot_id", boot);
}

/* Whether RT's keeper still runs (it may be writing its record). */
static int
keeper_runs(const struct step_rt *rt)
{
	return rt->keeper_pid > 0 && rt->keeper_start > 0 &&
	       procstat_is_running((pid_t)rt->keeper_pid, rt->keeper_start,
				   rt->run_boot);
}

/* Whether RT's run process still runs: the same pid, start and boot; or
 * its keeper, which ends as soon as it has recorded how the run ended. */
static int
still_runs(const struct step_rt *rt)
{
	return (rt->run_pid > 0 && rt->run_start > 0 &&
		procstat_is_running((pid_t)rt->run_pid, rt->run_start,
				    rt->run_boot)) ||
	       keeper_runs(rt);
}

/* How RT's run ended, from its keeper's status file into KS: 1 when
 * known, 0 when it had no keeper or the keeper left no record (it was
 * killed itself, say). */
static int
kept_status(const struct session *s, const struct step_rt *rt,
	    struct keeper_status *ks)
{
	char *rel, *path;
	int rc;

	if (rt->keeper_pid <= 0 || !rt->cast_rel || strstr(rt->cast_rel, ".."))
		return 0;
	rel = keeper_status_path(rt->cast_rel);
	path = xasprintf("%s/%s", s->dir, rel);
	rc = keeper_read_status(path, ks, NULL) == 0 && ks->pid == rt->run_pid;
	free(path);
	free(rel);
	return rc;
}

int
session_step_kept(const struct session *s, const char *id,
		   struct kept_view *out)
{
	const struct step_rt *rt = session_find_step(s, id);
	struct keeper_status ks;

	if (!rt)
		return -1;
	if (rt->state != STEP_RUNNING || !kept_status(s, rt, &ks))
		return 0;
	out->exit_code = ks.exit_code;
	out->term_signal = ks.term_signal;
	out->ended_us = ks.ended_us;
	out->output_cut = !s->driver_quit_us;
	return 1;
}

/* "exit 0", "killed by SIGTERM" (signal 15): how KS says the run ended. */
static void
kept_outcome(const struct keeper_status *ks, char *buf, size_t size)
{
	const char *name = ks->term_signal ? sigabbrev_np(ks->term_signal)
					   : NULL;

	if (!ks->term_signal)
		snprintf(buf, size, "exit %d", ks->exit_code);
	else if (name)
		snprintf(buf, size, "killed by SIG%s", name);
	else
		snprintf(buf, size, "killed by signal %d", ks->term_signal);
}

static void
add_tail_line(int64_t t_us, const char *text, size_t len, void *arg)
{
	(void)t_us;
	session_tail_add(arg, text, len);
}

/* The last lines RT's run printed, from its cast file (the dead console's
 * drainer went on writing it after the console died), into P as "tail":
 * what the run did is then on screen and in the report, though its exit
 * status is unknown. Nothing when it printed nothing. */
static void
add_cast_tail(const struct session *s, const struct step_rt *rt, cJSON *p)
{
	char tail[TAIL_MAX] = "";
	struct stat st;
	uint64_t offset = 0, before;
	char *path;

	if (!rt->cast_rel || !*rt->cast_rel || strstr(rt->cast_rel, ".."))
		return;
	path = xasprintf("%s/%s", s->dir, rt->cast_rel);
	if (stat(path, &st) == 0 && st.st_size > CAST_TAIL_READ)
		offset = (uint64_t)st.st_size - CAST_TAIL_READ;
	do {
		before = offset;
		if (cast_follow(path, &offset, CAST_TAIL_READ, add_tail_line,
				tail, NULL) < 0)
			break;
	} while (offset != before);
	if (*tail)
		cJSON_AddStringToObject(p, "tail", tail);
	free(path);
}

/* Whether RT's run has ended but the process saving its output (the dead
 * console's drainer, in the run's process group) may still be writing
 * its last lines: wait for it, a short while. */
static int
drainer_busy(const struct session *s, struct step_rt *rt)
{
	int64_t now = clock_mono_now(s->clk);

	if (rt->run_pid <= 0 || kill(-(pid_t)rt->run_pid, 0) < 0)
		return 0;
	if (!rt->orphan_gone_us)
		rt->orphan_gone_us = now;
	return now - rt->orphan_gone_us < ORPHAN_DRAIN_WAIT_US;
}

static cJSON *
orphan_payload(const struct step_rt *rt)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddNumberToObject(p, "pid", (double)rt->run_pid);
	if (rt->def->run)
		cJSON_AddStringToObject(p, "command", rt->def->run);
	return p;
}

/* Whether the keeper's record KS tells how the run went: not when it
 * died of SIGPIPE after its console was killed (no drainer read what it
 * wrote after that: it died writing, perhaps its result, having done its
 * work or not). */
static int
kept_is_outcome(const struct session *s, const struct keeper_status *ks)
{
	return !(ks->term_signal == SIGPIPE && !s->driver_quit_us);
}

static const char *
interrupted_reason(const struct step_rt *rt, int runs, int sigpipe)
{
	if (sigpipe)
		return "the console was killed while this step was running, "
		       "and the command died of SIGPIPE writing output no one "
		       "read any more (its keeper's record): it may have done "
		       "its work; its outcome is unknown";
	if (!runs && rt->keeper_pid > 0)
		return "the session ended while this step was running and "
		       "its keeper was stopped before it recorded how the run "
		       "ended; its exit status is unknown";
	return "the session ended while this step was running; its outcome "
	       "is unknown";
}

static int
record_interrupted(struct session *s, struct step_rt *rt, int runs,
		   int sigpipe, struct err *err)
{
	cJSON *p = cJSON_CreateObject();
	int64_t seen = s->driver_quit_us ? s->driver_quit_us
					 : s->last_console_us;

	cJSON_AddStringToObject(p, "reason",
				interrupted_reason(rt, runs, sigpipe));
	/* The dead console ended when it said so (session.quit), else after
	 * the last event it journalled (not a refusal: someone else wrote
	 * that, a resume refused since, say): the run was interrupted
	 * between then and now. */
	if (seen) {
		char when[40];

		cJSON_AddStringToObject(p, "last_seen", clock_format_rfc3339(
						seen, when, sizeof(when)));
	}
	/* Killed, not quit: no one read its output after the console
	 * died, so what was kept may end before the run did. */
	if (!s->driver_quit_us)
		cJSON_AddBoolToObject(p, "output_may_be_cut", 1);
	if (rt->run_pid > 0) {
		cJSON_AddNumberToObject(p, "pid", (double)rt->run_pid);
		cJSON_AddBoolToObject(p, "still_running", runs);
	}
	/* What it printed so far: its own output file, still being
	 * written while it runs. */
	add_cast_tail(s, rt, p);
	return session_record(s, "rewind", "step.interrupted", rt->def->id, p,
			      err);
}

/* The process of an orphan is gone: say how, and how it ended as its
 * keeper recorded it (KS), else that its outcome is unknown (nobody saw
 * its exit status). */
static int
record_ended(struct session *s, struct step_rt *rt,
	     const struct keeper_status *ks, struct err *err)
{
	cJSON *p = orphan_payload(rt);

	cJSON_AddStringToObject(p, "how", rt->orphan_stopping
				? "stopped by the operator"
				: "ended by itself");
	if (ks) {
		char outcome[64], when[40];

		int unknown = rt->orphan_stopping || !kept_is_outcome(s, ks);

		kept_outcome(ks, outcome, sizeof(outcome));
		/* Stopped while it ran, or dead of SIGPIPE writing to a
		 * killed console, it may have acted: its exit status is
		 * known, whether it did its work is not. */
		if (unknown)
			cJSON_AddStringToObject(p, "outcome", "unknown");
		cJSON_AddStringToObject(p, unknown ? "exit_status" : "outcome",
					outcome);
		cJSON_AddStringToObject(p, "ended", clock_format_rfc3339(
						ks->ended_us, when,
						sizeof(when)));
		cJSON_AddStringToObject(p, "recorded_by", "keeper");
	} else {
		cJSON_AddStringToObject(p, "outcome", "unknown");
		if (rt->keeper_pid > 0)
			cJSON_AddStringToObject(p, "keeper", "stopped before "
						"it recorded the exit status");
	}
	add_cast_tail(s, rt, p);
	return session_record(s, "rewind", "step.orphan_ended", rt->def->id, p,
			      err);
}

/* RT's orphan is gone: journal its end, and its finish when its keeper
 * recorded how it ended (not when the operator stopped it: the step then
 * stays interrupted, its outcome unknown, as a run cancelled here is). */
static int
orphan_gone(struct session *s, struct step_rt *rt, struct err *err)
{
	struct keeper_status ks;
	int known = kept_status(s, rt, &ks);
	int stopped = rt->orphan_stopping;

	if (record_ended(s, rt, known ? &ks : NULL, err) < 0)
		return -1;
	return known && !stopped && kept_is_outcome(s, &ks)
	       ? session_finish_kept(s, rt, &ks, err) : 0;
}

/* One step at resume: a run left unfinished is interrupted; then its
 * process, if known, is either still there (an orphan, seen by this
 * console too) or gone since an earlier console saw it. */
static int
resume_step(struct session *s, struct step_rt *rt, struct err *err)
{
	int was_running = rt->state == STEP_RUNNING;
	struct keeper_status ks;
	int runs, known;

	if (!was_running && !rt->orphan)
		return 0;
	runs = still_runs(rt);
	/* It ended after its console quit, and its keeper says how: that
	 * is its outcome, nothing was interrupted but the console. */
	known = !runs && was_running && kept_status(s, rt, &ks);
	if (known && kept_is_outcome(s, &ks))
		return session_finish_kept(s, rt, &ks, err);
	if (was_running && record_interrupted(s, rt, runs, known, err) < 0)
		return -1;
	if (runs)
		return session_record(s, "rewind", "step.orphan", rt->def->id,
				      orphan_payload(rt), err);
	if (rt->orphan)
		return orphan_gone(s, rt, err);
	return 0;
}

int
session_orphans_resume(struct session *s, struct err *err)
{
	for (size_t i = 0; i < s->n_steps; i++)
		if (resume_step(s, &s->steps[i], err) < 0)
			return -1;
	return 0;
}

static void
notify_ended(struct session *s, const char *id)
{
	struct core_event ev = { .kind = CORE_EV_STEP_DONE, .step = id };

	if (s->listener)
		s->listener(&ev, s->listener_arg);
}

/* SIGNO to the run's process group when it leads one (the runner makes
 * each child a group leader), else to the process alone. */
static void
signal_orphan(const struct step_rt *rt, int signo)
{
	struct procstat st;
	pid_t pid = (pid_t)rt->run_pid;

	if (!still_runs(rt) || procstat_read(pid, &st) < 0)
		return;
	kill(st.pgrp == pid ? -pid : pid, signo);
}

/* Returns whether RT is still an orphan after this look. */
static int
poll_one(struct session *s, struct step_rt *rt)
{
	if (still_runs(rt)) {
		if (rt->orphan_kill_us &&
		    clock_mono_now(s->clk) >= rt->orphan_kill_us) {
			rt->orphan_kill_us = 0;
			signal_orphan(rt, SIGKILL);
		}
		return 1;
	}
	if (drainer_busy(s, rt))
		return 1;
	/* A failed write leaves it an orphan: the next look tries again. */
	if (orphan_gone(s, rt, NULL) < 0)
		return 1;
	notify_ended(s, rt->def->id);
	return 0;
}

static void
orphan_tick(void *arg)
{
	struct session *s = arg;
	int left = 0;

	s->orphan_timer = 0;
	for (size_t i = 0; i < s->n_steps; i++)
		if (s->steps[i].orphan)
			left += poll_one(s, &s->steps[i]);
	if (left)
		s->orphan_timer = loop_add_timer(s->loop, ORPHAN_POLL_US,
						 orphan_tick, s);
}

void
session_orphans_start(struct session *s)
{
	if (!s->loop || s->orphan_timer)
		return;
	for (size_t i = 0; i < s->n_steps; i++) {
		if (s->steps[i].orphan) {
			s->orphan_timer = loop_add_timer(s->loop, ORPHAN_POLL_US,
							 orphan_tick, s);
			return;
		}
	}
}

void
session_orphans_done(struct session *s)
{
	if (s->loop && s->orphan_timer)
		loop_cancel_timer(s->loop, s->orphan_timer);
	s->orphan_timer = 0;
}

int
session_orphan_stop(struct session *s, struct step_rt *rt, const char *actor,
		    struct err *err)
{
	int again = rt->orphan_stopping;
	cJSON *p;

	if (!still_runs(rt))
		return err_set(err, ERR_STATE, "cancel %s: its run from the "
			       "previous console (pid %ld) has already ended",
			       rt->def->id, rt->run_pid);
	p = orphan_payload(rt);
	/* Asked twice: no more grace. */
	cJSON_AddStringToObject(p, "signal", again ? "SIGKILL" : "SIGTERM");
	if (session_record(s, actor, "step.orphan_stop", rt->def->id, p,
			   err) < 0)
		return -1;
	signal_orphan(rt, again ? SIGKILL : SIGTERM);
	rt->orphan_kill_us = again ? 0 : clock_mono_now(s->clk) +
					 ORPHAN_KILL_GRACE_US;
	session_orphans_start(s);
	return 1;
}
