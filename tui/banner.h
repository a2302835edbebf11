/* The resume banner: after a console died with steps running, the one
 * that resumes says so above the panes, naming each step that was in
 * flight, its command, and whether its process still runs; it stays
 * while a step remains interrupted. Also the words for such a run that
 * the step pane and the status line use. */
#ifndef REWIND_TUI_BANNER_H
#define REWIND_TUI_BANNER_H

#include <stddef.h>

struct app;
struct step_view;
struct _win_st;

/* Rows the banner takes now on a screen WIDTH columns wide (0 when there
 * is none): its heading wraps, a step's row is cut with an ellipsis. */
int banner_rows(const struct app *a, int width);

/* Draw the banner's rows from row Y, WIDTH columns wide. */
void banner_draw(const struct app *a, struct _win_st *w, int y, int width);

/* What became of interrupted step V's process, in BUF: "still running
 * from the previous console, pid N, started at T", "ended by itself",
 * "stopping"...; "" when its process is not known. */
void banner_run_text(const struct step_view *v, char *buf, size_t size);

/* What the operator can do about V's process that still runs, with the
 * key from the action table ("wait for it to end, or press c to stop
 * it"), in BUF. */
void banner_orphan_hint(const struct step_view *v, char *buf, size_t size);

/* Enter on V while its run from the previous console still runs: the
 * core refuses the run (and journals the refusal); the status line says
 * so with the keys to use. */
void banner_refuse_rerun(struct app *a, const struct step_view *v);

#endif
