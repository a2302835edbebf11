/* Markdown runbook import: turns a runbook someone already has (headings,
 * fenced shell blocks, checklists, severity tables, notification templates,
 * placeholders) into a playbook draft that the loader accepts. */
#ifndef REWIND_CORE_MDIMPORT_H
#define REWIND_CORE_MDIMPORT_H

#include <stddef.h>

struct err;
struct strbuf;

/* Convert LEN bytes of Markdown TEXT into a playbook draft: pretty-printed
 * JSON text the caller frees. NAME is the runbook's file name (recorded as
 * "source", and the id when the runbook has no title). When SUMMARY is not
 * NULL, a human summary is appended to it: steps per kind and phase, what
 * the import added, and every block kept only as a note, by line number.
 * When EXPLAIN is not NULL, what each section of the runbook became (its
 * steps, notes and review points) is appended to it. A few invalid UTF-8
 * bytes are repaired (U+FFFD). Fails with ERR_INVALID when TEXT is not
 * text (NUL bytes, or mostly bytes that are not UTF-8), when it has
 * nothing to import (empty or blank), and when the draft would not load
 * (a bug: no draft the loader refuses is ever returned). */
char *mdimport_convert(const char *text, size_t len, const char *name,
		       struct strbuf *summary, struct strbuf *explain,
		       struct err *err);

/* How the first credential TEXT writes out is named ("a GitHub token",
 * "a password on the command line"), by the rules the import takes them
 * out by; NULL when it holds none. */
const char *mdimport_literal_credential(const char *text);

/* Whether CONFIRM, a step's typed confirmation, holds a credential: one
 * written out (as mdimport_literal_credential finds) or a word that
 * reads as a generated token. A static description, or NULL. */
const char *mdimport_confirm_credential(const char *confirm);

#endif
