/* Test helper: the loopback fixture server (tests/fixtures/fixsrv.py)
 * started for one test, and what it recorded. */
#ifndef REWIND_TESTS_FIXSRV_H
#define REWIND_TESTS_FIXSRV_H

#include <sys/types.h>

struct cJSON;

struct fixsrv {
	pid_t pid;
	int stdin_fd;		/* closing it stops the server */
	int port;
};

/* Start the server on ROUTES_JSON (a JSON text written to DIR/routes.json;
 * body_file paths are relative to DIR). Aborts the test on failure. */
void fixsrv_start(struct fixsrv *f, const char *dir, const char *routes_json);

/* Stop it and reap it (bounded: SIGKILL after 5 s). */
void fixsrv_stop(struct fixsrv *f);

/* "http://HOST:PORT" + PATH, HOST "127.0.0.1" when NULL; caller frees. */
char *fixsrv_url(const struct fixsrv *f, const char *host, const char *path);

/* The requests recorded so far (a JSON array; caller deletes). */
struct cJSON *fixsrv_requests(const struct fixsrv *f);

/* Replace the routes with ROUTES_JSON. */
void fixsrv_set_routes(const struct fixsrv *f, const char *routes_json);

/* A loopback port nothing listens on (bound then closed). */
int fixsrv_free_port(void);

#endif
