/* Where the program finds its own files. */
#ifndef REWIND_TUI_PATHS_H
#define REWIND_TUI_PATHS_H

/* Directory of the running executable (caller frees), or NULL; lets a
 * build tree find its playbooks/ and themes/ without installing. */
char *paths_program_dir(void);

#endif
