/* The git tags pane: a header with branch, HEAD and work-tree state, one
 * row per tag (marks, name, date, commit, first line of the message) and
 * the recent commits below when there is room. */
#ifndef REWIND_TUI_PANE_TAGS_H
#define REWIND_TUI_PANE_TAGS_H

#include "app.h"

struct _win_st;
struct tag_list;

/* Draw TL into R of W; when TL is NULL, ABSENT says why (NULL: "Reading
 * tags...", a read is coming). SEL and TOP are tag
 * indexes: the highlighted tag (-1: none) and the first tag row shown.
 * MARKS is a NULL-ended list of "NAME=VALUE" strings (may be NULL); a tag
 * whose name is VALUE (or VALUE with a "v" in front) is marked with NAME
 * up to its first '_' ("RESTORE_VERSION=v1.2.2" marks v1.2.2 RESTORE).
 * Tags on HEAD are marked HEAD. All text goes through draw_text. */
void pane_tags_draw(struct _win_st *w, struct rect r,
		    const struct tag_list *tl, const char *absent, int sel,
		    int top, const char *const *marks);

/* Whether MARK ("RESTORE_VERSION=v1.2.2") marks VERSION, a tag or a
 * registry version (a leading "v" on either side is ignored); *NAME_LEN
 * gets the length of the label (RESTORE). */
int pane_mark_matches(const char *mark, const char *version,
		      size_t *name_len);

/* How many tag rows pane_tags_draw shows in R (for scrolling). */
int pane_tags_rows(struct rect r, const struct tag_list *tl);

/* The name of tag ROW (a tag index, as SEL), borrowed from TL; NULL when
 * ROW is out of range or TL is NULL. */
const char *pane_tags_name_at(const struct tag_list *tl, int row);

#endif
