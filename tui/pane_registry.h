/* The registry pane: per watched package a header (type, package, the
 * host it came from, the answer's age, "stale 3m" or the fault), the
 * dist-tags, then the versions newest first with their dates, deprecations
 * and yanks, and the session's variables marked on their versions. */
#ifndef REWIND_TUI_PANE_REGISTRY_H
#define REWIND_TUI_PANE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

struct _win_st;
struct reg_answer;

/* Draw the N ANSWERS (from regwatch_answer, or read back from the journal
 * in replay) into R of W, skipping the first TOP lines (scrolling). NOW_US
 * is the wall time ages are measured from (the session clock, so replay
 * shows ages as they were). MARKS is a NULL-ended list of "NAME=VALUE"
 * strings (may be NULL): a version equal to VALUE is marked with NAME up
 * to its first '_' ("ROLLBACK_VERSION=1.2.3" marks 1.2.3 ROLLBACK). All
 * registry text goes through draw_text (sanitized, clipped). */
void pane_registry_draw(struct _win_st *w, struct rect r,
			const struct reg_answer *const *answers, size_t n,
			int top, const char *const *marks, int64_t now_us);

/* The same with the SEL-th version (counted over the packages in order,
 * each newest first, as drawn) highlighted; SEL -1 = none. */
void pane_registry_draw_sel(struct _win_st *w, struct rect r,
			    const struct reg_answer *const *answers, size_t n,
			    int top, int sel, const char *const *marks,
			    int64_t now_us);

/* The line (counted from the top of the content) the SEL-th version is
 * drawn on, or -1 when there is no such version. */
int pane_registry_line_of(struct rect r, const struct reg_answer *const *answers,
			  size_t n, int sel);

/* The SEL-th version's string (borrowed from ANSWERS), or NULL. */
const char *pane_registry_version_at(const struct reg_answer *const *answers,
				     size_t n, int sel);

/* How many lines pane_registry_draw would draw for these answers in R's
 * width (for the scrolling limit). */
int pane_registry_lines(struct rect r, const struct reg_answer *const *answers,
			size_t n, const char *const *marks);

#endif
