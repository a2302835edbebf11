/* The post-mortem of a session: summary, timeline, metrics, decisions,
 * approvals, commands, checklist, messages, notes, follow-ups and the
 * drill score card, built from the session directory's journal and
 * playbook copy, as JSON (the model) and as Markdown (rendered from it). */
#ifndef REWIND_CORE_REPORT_H
#define REWIND_CORE_REPORT_H

struct cJSON;
struct err;
struct strbuf;

/* Build the report of the session in DIR (caller deletes the tree). Every
 * journal line that parses is used, even after a broken hash chain, whose
 * first bad line is recorded under "integrity". All text from the journal
 * is sanitized (no control characters). Returns NULL with ERR_IO when
 * DIR/journal.jsonl cannot be read, ERR_CORRUPT when no line parses. */
struct cJSON *report_build(const char *dir, struct err *err);

/* Append REPORT (from report_build) rendered as Markdown to OUT. */
void report_render_md(const struct cJSON *report, struct strbuf *out);

/* Build the report of DIR and write DIR/report.md and DIR/report.json
 * (mode 0600, each replaced atomically). Returns 0, or -1 with ERR_IO
 * naming the file. */
int report_write_session(const char *dir, struct err *err);

#endif
