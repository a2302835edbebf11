/* The console's state, shared by the tui/ files: the session on screen,
 * what is selected and focused, the open dialog, and the redraw flag. */
#ifndef REWIND_TUI_APP_H
#define REWIND_TUI_APP_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"
#include "uiact.h"

#define APP_LOG_LINES 5000	/* lines each of the log panes keeps */
#define APP_DIRTY_OUTPUT 2	/* a->dirty: nothing but command output */
#define APP_MIN_COLS 60		/* below this the console draws nothing */
#define APP_MIN_ROWS 16		/* ...but the "terminal too small" notice */

struct cast_tail;
struct cli_opts;
struct logbuf;
struct loop;
struct replay;
struct _win_st;

enum pane_id {
	PANE_STEPS,
	PANE_DETAIL,
	PANE_LOG,
	PANE_JOURNAL,
	PANE_TARGETS,
	PANE_TAGS,
	PANE_REGISTRY,
	PANE_COUNT
};

struct rect {
	int y, x, h, w;
};

/* Multi-stage dialogs: which question is on screen. */
enum flow {
	FLOW_NONE,
	FLOW_CONFIRM,		/* type the confirmation of a destructive run */
	FLOW_CHOOSE,		/* pick a decision option */
	FLOW_REASON,		/* ...and give the reason */
	FLOW_APPROVE_ROLE,
	FLOW_APPROVE_NAME,
	FLOW_APPROVE_COMMENT,
	FLOW_APPROVE_SIGN,	/* watch: what the sign-off covers; y signs */
	FLOW_INPUT,		/* value of an input step's variable */
	FLOW_NA_SURE,		/* a required step: really n/a? y/N */
	FLOW_NA,		/* reason for n/a */
	FLOW_REOPEN,		/* an n/a step open again: why (optional) */
	FLOW_UNTICK_SURE,	/* a ticked check: untick it? y/N */
	FLOW_HAND_CHECK,	/* an interrupted run did its work: what was
				 * checked */
	FLOW_NOTE,
	FLOW_PREVIEW,		/* message preview before sending */
	FLOW_QUIT,
	FLOW_SETVAR_NAME,
	FLOW_SETVAR_VALUE,
	FLOW_SEARCH,
	FLOW_PREDICT,		/* drill: what the trainee expects a run to do */
	FLOW_COMPLETE_SURE,	/* > completes with optional steps open: y/N */
	FLOW_PICK_SURE,		/* a pick replaces a set input: y/N */
	FLOW_HANDOVER,		/* the successor the session is offered to */
	FLOW_WITHDRAW_SURE,	/* withdraw the hand-over offered: y/N */
};

/* A tag or version picked for a variable an input step already set,
 * waiting for the y/N of FLOW_PICK_SURE (pane_sources.c). */
struct pick_pending {
	char var[128];		/* the variable */
	char value[256];	/* as picked */
	char set[256];		/* as it will be set (a leading v dropped) */
	int from_tags;		/* picked in the Tags tab, else Registry */
};

#define DLG_MAX_CHOICES 32

struct dialog {
	enum flow flow;
	char title[160];
	char prompt[1024];	/* may hold several lines */
	char buf[512];		/* text being typed */
	size_t len;
	size_t cur;		/* the cursor: a byte offset in buf */
	int prefilled;		/* buf is an offered value, as if selected:
				 * the first typed character replaces it;
				 * an editing key (Backspace, an arrow,
				 * Home, End) keeps it to edit */
	const char *pattern;	/* variable pattern checked as you type */
	char *choices[DLG_MAX_CHOICES];
	int n_choices;
	int sel;
	int recommended;	/* index of the recommended choice, or -1 */
	int hide_recommended;	/* a drill: the mark waits for the choice */
	char step[128];		/* the step the dialog acts on */
	char pick[160];		/* option or role picked earlier */
	char name[160];		/* approver name picked earlier */
	char comment[512];	/* approval comment given earlier */
	char error[512];	/* why the last input was refused */
	char warning[512];	/* what the typed value means (a withdrawn
				 * restore target); never refuses it */
	char *body;		/* preview text, or the command to confirm */
	char *notes[DLG_MAX_CHOICES];	/* each choice's description */
	int body_top;		/* first body row shown */
	int body_rows;		/* body rows the last draw showed */
	int body_total;		/* rows the whole body takes */
	int body_seen;		/* rows read so far (from the top) */
};

struct app {
	struct loop *loop;
	struct session *session;
	const struct playbook *pb;
	struct logbuf *log;		/* command output and alerts */
	struct logbuf *journal;		/* journal events, one line each */
	size_t *visible;		/* step indexes in the checklist */
	int n_visible;
	size_t visible_cap;
	int sel;			/* selected checklist line */
	int steps_top;			/* first checklist line shown */
	long log_top;			/* first log line shown, -1 = follow */
	int log_left;			/* output columns scrolled past */
	uint64_t tick_timer;		/* redraws while a step runs */
	long journal_top;
	long targets_top;		/* Targets tab: rows scrolled past */
	char search[160];
	long search_hit;
	enum pane_id focus;
	enum pane_id side;		/* the tab shown in the side area */
	int help;			/* help overlay shown */
	int help_top;
	long card_top;			/* score card: rows scrolled past */
	long detail_top;		/* step pane: rows scrolled past */
	int detail_sel;			/* the selection detail_top is for */
	struct _win_st *detail_pad;	/* step pane's canvas, kept between
					 * frames (a new one each frame cost
					 * a fresh 400-row allocation) */
	int detail_pad_rows;		/* rows the last frame drew on it */
	struct dialog dlg;
	char status[512];
	int status_is_error;
	unsigned n_refusals;		/* error statuses said so far */
	int status_alert;		/* an alert holds the status line
					 * until the operator's next key */
	int dirty;			/* APP_DIRTY_OUTPUT: only new output */
	int quit;
	int64_t driver_gone_us;	/* watch: no console drives since, 0 = one does */
	int tty_stderr;		/* the terminal's stderr (ours goes to console.log) */
	int log_stderr;		/* console.log while a step has the terminal */
	uint64_t clock_timer;
	int alerted;			/* escalations already raised */
	struct rect rects[PANE_COUNT];	/* where each pane was drawn */
	int wide;			/* side panes beside each other */
	int yes_no_shown;		/* the y/N question on screen was
					 * drawn (keys before it dropped) */
	int last_phase;
	int tags_sel;			/* selected tag in the tags pane */
	int tags_top;			/* first tag row shown */
	int reg_top;			/* first registry line shown */
	int reg_sel;			/* selected version in the registry
					 * pane (over its packages, as drawn) */
	int watch;			/* rewind watch: read-only but approve */
	uint64_t watch_timer;		/* polls the watched journal */
	struct share_follow *follow;	/* watch REMOTE#SESSION: fetches the
					 * published copy it reads */
	struct replay *replay;		/* rewind replay: the tags and registry
					 * tabs read the journal's answers */
	int64_t replay_now;		/* ...and its clock (wall µs) */
	char operator_changed[160];	/* this console took the session
					 * over from another operator: in
					 * words, else "" */
	struct pick_pending pick_pending;	/* FLOW_PICK_SURE's pick */
	int resumed;			/* this console resumed the session
					 * (the resume banner, banner.c) */
	int64_t rto_us;			/* the recovery-time target last
					 * shown (µs, 0 = none)... */
	int64_t rto_from_us;		/* where the RTO clock last
					 * counted from */
	int rto_ready;			/* ...once the console is up */
	struct cast_tail *tails;	/* watch: casts of runs under way,
					 * followed into the Output tab */
	size_t n_tails;
};

/* Run the console for the session O describes; returns the exit status. */
int app_main(const struct cli_opts *o);

/* Follow the session in O->args[0], which another process drives, from
 * here: refreshed as its events land, read-only except for approving
 * (appended as the approver, like `rewind approve`). Exit status. */
int app_watch(const struct cli_opts *o);

/* Variable lookup for playbook_when_holds and friends; ARG is the
 * session. */
const char *app_lookup(const char *name, const void *arg);

/* The keymap context of what has the keys now (a dialog, the focused
 * pane); an int holding an enum keymap_ctx. */
int app_keymap_ctx(const struct app *a);

/* The journal pane's one-line summary of journal LINE in BUF; returns 1
 * when the console also shows it as an alert in the output pane, 0 when
 * not, -1 (BUF untouched) when LINE is not JSON. */
int app_event_summary(const char *line, char *buf, size_t size);

/* What journal event LINE adds to the Output pane, the same in the
 * console and in the replay: a refusal, voided approval or interruption
 * as its summary; a scenario injection's alert and its log lines ("NAME:
 * line"); a log pattern over its threshold. ADD gets each line with its
 * kind (enum log_kind); returns the alert for the status line (caller
 * frees), or NULL. */
typedef void (*app_output_cb)(void *arg, int kind, const char *text);
char *app_event_output(const char *line, app_output_cb add, void *arg);

/* An app_output_cb adding each line to the logbuf ARG. */
void app_output_to_logbuf(void *arg, int kind, const char *text);

/* Add journal LINE's one-line summary to the Journal pane; nothing when
 * LINE is not JSON. */
void app_summarise_event(struct app *a, const char *line);

/* The view's defaults (follow the logs, the checklist focused, the Step
 * tab beside it) and the playbook of A->session, which must be set. */
void app_init_view(struct app *a);

/* Ask for a redraw at the end of the loop iteration. */
void app_dirty(struct app *a);

/* Whether this console may show what the drill's world holds beyond what
 * the trainee's probes show (its state, what it says of a check): not in
 * the trainee's console of an open drill; yes to the game master's watch,
 * once the drill is complete, in a replay, and outside drills. */
int app_world_shown(const struct app *a);

/* Show MSG in the status line (error style when IS_ERROR), unless an
 * alert holds it (until the next key). One too long for the screen is cut
 * there with an ellipsis and kept whole in the Output tab. */
void app_status(struct app *a, int is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Rebuild the list of checklist lines from the session. */
void app_refresh_steps(struct app *a);

/* The step view of checklist line I; returns 0 or -1. */
int app_step_at(const struct app *a, int i, struct step_view *out);

/* The drill scenario's briefing (what the trainee is told), or NULL
 * without a scenario. */
const char *app_briefing(const struct app *a);

/* Add the drill scenario's briefing to the Output tab, as its first lines
 * (what the trainee is told before the first step); nothing outside a
 * drill with a scenario. */
void app_show_briefing(struct app *a);

/* Apply a text action (batch syntax) as the operator; on refusal the
 * reason goes to the status line in the console's words (say.h).
 * Returns session_apply's result. */
int app_apply(struct app *a, const char *line);
/* app_apply, and the refusal's reason left in WHY (its code says which). */
int app_apply_why(struct app *a, const char *line, struct err *why);
/* app_apply, and what was done said in the status line too. */
int app_apply_report(struct app *a, const char *line);

/* Panes and bars (pane_*.c, bars.c, dialog.c, help.c). */
void pane_steps_draw(struct app *a, struct _win_st *w, struct rect r);
/* The checklist line the selection starts on in a phase: the first step
 * that applies (not one waiting on a decision or no longer applicable,
 * while there is another), else 0. */
int pane_steps_first_applicable(const struct app *a);
/* The row a resumed console starts on: the first interrupted step (a run
 * the previous console did not see end), else the first open or failed
 * one; -1 when there is none. */
int pane_steps_resume_row(const struct app *a);
/* The checklist's I-th mark for the help's legend: its glyph and what it
 * means (borrowed); returns 0, or -1 past the last. */
int pane_steps_legend(int i, const char **glyph, const char **meaning);
void pane_detail_draw(struct app *a, struct _win_st *w, struct rect r);
/* Free the step pane's canvas (before the terminal is let go). */
void pane_detail_done(struct app *a);

/* Whether the step pane shows a finished drill's score card (then the
 * scrolling keys scroll it, a->card_top, from the checklist too). */
int pane_detail_shows_scorecard(const struct app *a);
void pane_log_draw(struct app *a, struct _win_st *w, struct rect r,
		   int journal);
/* Index of the next line after FROM (or before, when DIR < 0) holding
 * NEEDLE as shown (a command's line without its SGR sequences), wrapping
 * around; -1 when none does. */
long pane_log_find(struct logbuf *lb, long from, int dir,
		   const char *needle);
void pane_targets_draw(struct app *a, struct _win_st *w, struct rect r);
void bars_draw_header(struct app *a, struct _win_st *w, int width);
/* The header from column X on (title, versions, the clock at NOW_US
 * against the RTO target): the console's and the replay's. */
void bars_draw_header_rest(struct app *a, struct _win_st *w, int x,
			   int width, int64_t now_us);
/* The status alert for escalation E: "15 min: escalate to NAME". */
/* A duration as "24m11s", or "60m" when WHOLE and a whole minute. */
void bars_duration_text(int64_t secs, int whole, char *buf, size_t size);
/* Seconds on the RTO clock at NOW (see tui/bars.c). */
int64_t bars_rto_elapsed(const struct app *a, int64_t now, int64_t *from,
			 int *detected);
void bars_escalation_text(const struct pb_escalation *e, char *buf,
			  size_t size);
void bars_draw_rail(struct app *a, struct _win_st *w, int y, int width);
void bars_draw_status(struct app *a, struct _win_st *w, int y, int width);
/* Columns the status line's text has on a screen WIDTH columns wide. */
int bars_status_room(struct app *a, int width);
void bars_draw_keybar(struct app *a, struct _win_st *w, int y, int width);
/* Draw from column X the key-bar hints of keymap context CTX (in a watch
 * only what works there), leaving out the keys that context FIRST, looked
 * up before CTX, binds too (FIRST == CTX leaves none out); returns the
 * column after the last one. */
int bars_draw_hints(struct app *a, struct _win_st *w, int y, int x,
		    int width, int ctx, int first);
/* The help overlay over H rows: every context's keys but the replay's
 * when ONLY is KM_COUNT, else context ONLY's alone (the replay's), without
 * headings. Keeps A->help_top within the lines there are. */
void help_draw(struct app *a, struct _win_st *w, int h, int width,
	       int only);
void dialog_draw(struct app *a, struct _win_st *w, int h, int width);

/* The tags and registry tabs (pane_sources.c). */
void pane_tags_tab_draw(struct app *a, struct _win_st *w, struct rect r);
void pane_registry_tab_draw(struct app *a, struct _win_st *w, struct rect r);
void pane_sources_scroll(struct app *a, long delta);
void pane_tags_pick(struct app *a);
/* Whether the selected step is an approve step still awaiting a sign-off
 * (its hand-off command is shown and can be copied). */
int app_handoff_due(struct app *a);

/* Whether the step action ACT (Space's tick, a's approve) does something
 * on the selected step now, by the session's transition table (the key
 * bar offers it then); other actions always apply. */
int app_act_applies(struct app *a, enum uiact act);
/* Copy the selected approve step's hand-off command to the clipboard. */
void pane_detail_copy_handoff(struct app *a);
/* Show it on one line of the plain terminal, which wraps it (so a mouse
 * selection copies it whole), until Enter. */
void pane_detail_show_handoff(struct app *a);
/* Suspend the screen, print INTRO and TEXT (already safe to print) on the
 * plain terminal and wait for Enter; the console then comes back. */
void app_show_plain(struct app *a, const char *intro, const char *text);
void pane_registry_pick(struct app *a);
/* The pick FLOW_PICK_SURE asked about, answered yes: set it. */
void pane_sources_pick_confirmed(struct app *a);
void pane_sources_refresh(struct app *a);

/* Runs on screen (runview.c): the Output tab's line when a run starts
 * (and follow it) or ends, and on resume the earlier runs' output read
 * back from their cast files, for journal event EV. */
void runview_event(struct app *a, const struct core_event *ev);
/* The Output tab's line for journal LINE when it starts or ends a run,
 * added to LB (a struct logbuf); returns 1 (start), 2 (end) or 0. */
int runview_run_line(struct logbuf *lb, const char *line);
/* TEXT as the Output tab shows it from column LEFT on: tabs expanded, SGR
 * sequences kept. Caller frees. */
char *runview_shift(const char *text, int left);
/* "running ⠋ 0:07": a running step's spinner frame and elapsed time. */
void runview_running_text(const struct app *a, const struct step_view *v,
			  char *buf, size_t size);
/* Keep a redraw timer going while a step runs (none when idle); stop it. */
void runview_watch(struct app *a);
void runview_stop(struct app *a);

/* rewind watch: a journal line of the watched session LINE (new, or read
 * back when the watch opened) in the Output tab as the operator sees it:
 * a run's start and end lines and, between them, its output, read from
 * its cast file in DIR as the run writes it (runview_tail_poll). */
void runview_watch_line(struct app *a, const char *line, const char *dir);

/* Read what the followed casts gained since the last call. */
void runview_tail_poll(struct app *a);

/* Stop following every cast. */
void runview_tail_done(struct app *a);

/* Open dialogs and feed them keys (dialog.c). */
void dialog_open_for_step(struct app *a, enum uiact act);
void dialog_open(struct app *a, enum flow flow, const char *step);
/* An open Quit dialog says again what still runs (a run ended). */
void dialog_refresh_quit(struct app *a);
void dialog_key(struct app *a, int key);
void dialog_close(struct app *a);
/* Whether the open dialog is a y/N question (one key answers it). */
int dialog_is_yes_no(const struct app *a);

/* Whether step ID's last run was cancelled while it ran (outcome
 * unknown). */
int app_last_run_cancelled(const struct app *a, const char *id);

/* Say in the status line how step ID's run ended (done, failed, outcome
 * unknown). */
void app_step_done_status(struct app *a, const char *id);

/* What lies between the header and the status line, for a screen H rows
 * by WIDTH columns: the phase rail, the checklist and the side panes (a
 * replay draws the same body as the live console). */
void app_draw_body(struct app *a, struct _win_st *w, int h, int width);

/* Below APP_MIN_COLS x APP_MIN_ROWS: the notice that says so, alone on a
 * screen H rows by WIDTH columns. */
void app_draw_too_small(struct _win_st *w, int h, int width);

/* Show the next (DIR > 0) or previous side tab; scroll the focused pane
 * or move the checklist selection by DELTA lines. */
void app_tab(struct app *a, int dir);
void app_scroll(struct app *a, long delta);

/* Show the Output tab's long lines from further right (ACT is
 * UI_SCROLL_RIGHT) or left (UI_SCROLL_LEFT). */
void app_scroll_sideways(struct app *a, enum uiact act);

/* Name of a pane, for tabs. */
const char *app_pane_name(enum pane_id id);

/* > : move on to the next phase (completing the session after the
 * last), saying which in the status line. */
void app_next_phase(struct app *a);

/* Before > completes the session: when optional steps of the phase are
 * still open, ask whether to complete (they are marked skipped); returns
 * whether it asked. */
int dialog_open_optional_left(struct app *a);

#endif
