/* HTTP transfers on the one event loop (libcurl multi driven by the
 * loop's fds and timers): never blocking, bounded in time and size, TLS
 * verification always on, retries with back-off that honour Retry-After.
 * Used by the registry pane, the http probe and webhook messages. */
#ifndef REWIND_CORE_HTTP_H
#define REWIND_CORE_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct loop;
struct http;

enum http_result {
	HTTP_OK,		/* a response arrived (any status) */
	HTTP_ERR_CONNECT,	/* refused, unreachable, DNS */
	HTTP_ERR_TIMEOUT,	/* no (complete) answer in time */
	HTTP_ERR_TOO_BIG,	/* body larger than max_body */
	HTTP_ERR_REDIRECTS,	/* more redirects than max_redirects */
	HTTP_ERR_TLS,		/* certificate or handshake failure */
	HTTP_ERR_CANCELLED,	/* http_cancel() or http_free() */
	HTTP_ERR_OTHER,
	HTTP_ERR_TRUNCATED,	/* the connection broke mid-answer (short
				 * body, reset, empty reply) */
};

struct http_request {
	const char *url;
	const char *method;		/* NULL = "GET"; "POST", "PUT"... */
	const char *const *headers;	/* "Name: value", NULL-ended, or NULL */
	const char *body;		/* request body (copied), or NULL */
	size_t body_len;
	const char *bearer_token;	/* sent as Authorization: Bearer, only
					 * to the URL's own host (never after a
					 * redirect to another host); NULL = none */
	const char *basic_auth;		/* "user:password" likewise, or NULL */
	int64_t timeout_us;		/* whole transfer, per attempt (each
					 * redirect hop too); 0 = 10 s */
	int64_t connect_timeout_us;	/* 0 = 5 s */
	size_t max_body;		/* 0 = 16 MiB */
	int max_redirects;		/* 0 = 5; -1 = do not follow */
	int retries;			/* extra attempts after connect errors,
					 * time-outs, broken answers, 5xx and
					 * 429; 0 = none */
	int64_t backoff_us;		/* first back-off (doubles, capped at
					 * 30 s, jittered); 0 = 500 ms. A
					 * Retry-After wins; one over 2 min
					 * ends the retries. */
};

struct http_response {
	enum http_result result;
	int status;			/* HTTP status, 0 without a response */
	const char *error;		/* one line for people, "" when fine */
	const char *body;		/* NUL-terminated, may hold NULs */
	size_t body_len;
	const char *content_type;	/* or NULL */
	const char *etag;		/* or NULL */
	const char *last_modified;	/* or NULL */
	int64_t retry_after_us;		/* from Retry-After, or -1 */
	int attempts;			/* 1 + retries used */
	int64_t elapsed_us;		/* first attempt to the end */
	const char *effective_url;	/* after redirects */
};

/* Called once per request, on the loop; RESP and its strings are valid
 * only during the call. Not called for requests cancelled by http_free. */
typedef void (*http_done_cb)(const struct http_response *resp, void *arg);

/* A client on loop L (borrowed). Caller frees with http_free. */
struct http *http_new(struct loop *l, struct err *err);

/* Abort every transfer (their callbacks are not called) and free H (may
 * be NULL). */
void http_free(struct http *h);

/* Start REQ (everything in it is copied); CB gets the outcome later, never
 * from inside this call. Returns a request id > 0, or 0 with ERR (a URL
 * that is not http:// or https://, for instance). */
uint64_t http_start(struct http *h, const struct http_request *req,
		    http_done_cb cb, void *arg, struct err *err);

/* Cancel request ID: its callback runs with HTTP_ERR_CANCELLED before
 * this returns, unless it already finished. Harmless for unknown ids. */
void http_cancel(struct http *h, uint64_t id);

/* Transfers started and not yet finished (including those waiting for a
 * retry). */
size_t http_pending(const struct http *h);

/* The host of URL (lower-case, without port), or NULL when URL cannot be
 * parsed; caller frees. */
char *http_url_host(const char *url);

/* URL with any user-info and with every path segment and query after the
 * host replaced by "..." (for screens and journals: webhook URLs carry
 * secrets in their path). Caller frees. */
char *http_url_redacted(const char *url);

/* Name of a result ("connect", "timeout"...). */
const char *http_result_name(enum http_result r);

#endif
