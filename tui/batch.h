/* Batch mode: actions one per line on stdin, every journal event echoed as
 * a JSON line on stdout, and after each action an "awaiting" line listing
 * the open work. The automation interface and the core's test seam. */
#ifndef REWIND_TUI_BATCH_H
#define REWIND_TUI_BATCH_H

struct cli_opts;

/* Run or resume the session O describes in batch mode; returns the exit
 * status (0 complete, 1 incomplete, 2 could not start). */
int batch_main(const struct cli_opts *o);

#endif
