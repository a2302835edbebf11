/* Helpers shared by unit tests: temporary directories and files, driving
 * a session with batch lines, reading a session's journal. */
#ifndef REWIND_TESTS_TESTUTIL_H
#define REWIND_TESTS_TESTUTIL_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct session;
struct err;

/* Create a fresh private directory under $TMPDIR (or /tmp); caller frees
 * the returned path. Removed by tu_rmtree. Aborts the test on failure. */
char *tu_mkdtemp(void);

/* Remove PATH and everything below it. */
void tu_rmtree(const char *path);

/* Write LEN bytes of DATA to DIR/NAME; returns the full path (caller frees). */
char *tu_write_file(const char *dir, const char *name, const char *data,
		    size_t len);

/* Read the whole file at PATH (NUL-terminated, *LEN set when not NULL);
 * caller frees; NULL if it can't be read. */
char *tu_read_file(const char *path, size_t *len);

/* Path of a file under the source tree's tests/fixtures (caller frees);
 * under $REWIND_SRCDIR (make check sets it), else under the current
 * directory. */
char *tu_fixture(const char *rel);

/* REWIND_TEST_SLACK (default 5): what a test's waits for outside events (a
 * fixture server starting, a watcher noticing a change) are multiplied by,
 * so a busy machine still passes. Waits are hang guards; a wait that is
 * met returns at once. */
double tu_slack(void);

/* --- a session driven by batch lines ---------------------------------------- */

/* Parse LINE as a batch action (asserting it parses) and apply it to S;
 * returns session_apply's result, with ERR cleared first and set on a
 * refusal. */
int tu_act(struct session *s, struct err *err, const char *line);

/* Apply LINE and assert it is accepted. */
void tu_ok(struct session *s, struct err *err, const char *line);

/* Apply LINE and assert it is refused with a message containing WHY. */
void tu_refused(struct session *s, struct err *err, const char *line,
		const char *why);

/* Free *SP (may be NULL) and set it to NULL, so closing twice is safe. */
void tu_session_close(struct session **sp);

/* --- the journal of session dir DIR ------------------------------------------ */

/* The text of DIR/journal.jsonl (caller frees); asserts it exists. */
char *tu_journal_text(const char *dir);

/* How many times NEEDLE occurs in DIR/journal.jsonl. */
int tu_count_in_journal(const char *dir, const char *needle);

/* A new array of the journal's events of TYPE (each whole event, in
 * order); caller deletes. Asserts that every line is a JSON event. */
cJSON *tu_journal_events(const char *dir, const char *type);

/* How many events of TYPE the journal holds. */
int tu_count_events(const char *dir, const char *type);

/* The payload of the last event TYPE (of step STEP when not NULL),
 * detached (caller deletes); NULL when there is none. */
cJSON *tu_last_event(const char *dir, const char *type, const char *step);

#endif
