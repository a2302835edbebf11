/* Journal events told in words for people (status lines, the replay),
 * never by their type names. */
#ifndef REWIND_CORE_EVTEXT_H
#define REWIND_CORE_EVTEXT_H

struct cJSON;

/* EV, one journal event as a JSON object (type, actor, step, payload),
 * in words: "bob approved as Release Manager". Text inside comes from
 * the journal, so a caller that shows it sanitizes it. Caller frees;
 * never NULL (an event of an unknown type is named in plain words). */
char *evtext_describe(const struct cJSON *ev);

/* The same for a journal line (JSON text); NULL when it is not JSON. */
char *evtext_line(const char *line);

struct strbuf;

/* How a session.quit's console ended (its payload P: "how", "running"),
 * in words appended to SB: "the console ended on SIGHUP (the terminal
 * closed) while a.slow (pid 41) ran; the session can be resumed". */
void evtext_quit(const struct cJSON *p, struct strbuf *sb);

/* Where approval.granted payload P says the sign-off was entered, in
 * words: "entered at ic's console (login ic on host1, /dev/pts/3)",
 * "signed with rewind approve (login bob on host1, /dev/pts/4)"; without
 * FULL only how ("entered at ic's console"). The
 * journal's text: a caller that shows it sanitizes it. Caller frees;
 * "provenance not recorded" for a journal from before it was. */
char *evtext_provenance(const struct cJSON *p, int full);

/* When payload P's provenance says the operator's own login signed from
 * another terminal: "signed as dana by login ic, the operator's own
 * login" ("tried as" for a refused sign-off, whose payload has a reason;
 * caller frees); NULL otherwise. evtext_provenance includes it. */
char *evtext_own_login(const struct cJSON *p);

#endif
