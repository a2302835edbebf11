/* The session's live sources: the git tags of the playbook's repository,
 * the registry packages, the followed log files with their pattern
 * counters, and the HTTP client the probes and registries share. A live
 * session with a loop watches them for real; a drill's sources hold the
 * scenario's injected state instead (sources_set_state), so the panes read
 * both through the same accessors.
 *
 * What they report reaches the session's listener: every log line as a
 * CORE_EV_LOG event (step = the log's name, line = the line, type "line",
 * "backlog" for context that was in the file before, or "notice" for
 * rotation and the like); and the journal: "tags.answer" and
 * "registry.answer" (compact JSON, only when the answer changed) and
 * "log.threshold" {log, pattern, count, threshold, window_s} when a
 * pattern counter reaches its threshold. A piece that fails (no
 * repository, no registry configured, an unreadable log) reports its
 * error in its own status; the session goes on. */
#ifndef REWIND_CORE_SOURCES_H
#define REWIND_CORE_SOURCES_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct err;
struct http;
struct logwatch;
struct reg_answer;
struct session;
struct sources;
struct tag_list;

/* Sources of session S (borrowed; S must own a loop for live watching):
 * live watchers when S is a live session, inert holders of injected state
 * in a drill. Caller frees with sources_free before the loop goes. */
struct sources *sources_new(struct session *s, struct err *err);

/* Stop every watcher and free SRC (may be NULL). */
void sources_free(struct sources *src);

/* Drill seam: replace what the panes show by STATE (a scenario's
 * "state": {"tags": ..., "registry": {NAME: answer}, ...}; borrowed). Tags
 * and registry answers read from it replace the watched ones, which stop
 * being reported. NULL drops the injected state. */
void sources_set_state(struct sources *src, const struct cJSON *state);

/* The shared HTTP client (borrowed), or NULL without a loop. */
struct http *sources_http(const struct sources *src);

/* The tag list the tags pane shows (borrowed until the next loop
 * callback), or NULL before the first read. */
const struct tag_list *sources_tags(const struct sources *src);

/* Why sources_tags is NULL and will stay so (a drill whose scenario
 * gives no tags, a session that watches nothing), as a sentence to show
 * (static); NULL while a read is still to come. */
const char *sources_tags_absent_why(const struct sources *src);

/* Ask for a re-read of the tags and a refresh of every registry now. */
void sources_refresh(struct sources *src);

/* Registry packages (targets.registry order) and what each answered
 * (borrowed until the next loop callback; never NULL for a valid I). */
size_t sources_n_registries(const struct sources *src);
const struct reg_answer *sources_registry(const struct sources *src,
					  size_t i);

/* Fetch registry I now (a no-op while a fetch is in flight). */
void sources_registry_refresh(struct sources *src, size_t i);

/* Whether registry I has a fetch in flight. */
int sources_registry_is_busy(const struct sources *src, size_t i);

/* Followed logs (targets.logs order): name, resolved path and a status
 * line ("following PATH", "waiting for PATH to appear", an error). */
size_t sources_n_logs(const struct sources *src);
const char *sources_log_name(const struct sources *src, size_t i);
const char *sources_log_path(const struct sources *src, size_t i);
const char *sources_log_status(const struct sources *src, size_t i);

/* Matches of pattern PATTERN (its name) of log LOG over its window now,
 * or -1 when there is no such log or pattern. */
int sources_log_count(struct sources *src, const char *log,
		      const char *pattern);

/* Whether that pattern is at or over its threshold (an alert). */
int sources_log_is_alert(const struct sources *src, const char *log,
			 const char *pattern);

/* The watcher of log LOG (borrowed), or NULL; for the log probe. */
struct logwatch *sources_logwatch(const struct sources *src, const char *log);

/* The counter the log probe of step STEP_ID counts with, on the watcher
 * sources_logwatch(src, the probe's log) returns; -1 when there is none. */
long sources_probe_counter(const struct sources *src, const char *step_id);

/* The registry watcher index of targets.registry entry NAME, or -1. */
long sources_registry_index(const struct sources *src, const char *name);

#endif
