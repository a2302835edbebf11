/* Fuzz target: what an HTTP server answers, read by core/http.c through
 * libcurl: the status line, the headers rewind keeps (Content-Type, ETag,
 * Last-Modified, Retry-After as delta-seconds or an HTTP date), the body
 * and broken answers. The input is the raw response a loopback server on
 * the same event loop sends to one GET; redirects are not followed (a
 * Location could name any host). Properties: a request always finishes
 * with a result, Retry-After is -1 or a delay, and the response's fields
 * are consistent. */
#include "config.h"
#include "fuzz.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "http.h"
#include "loop.h"
#include "strbuf.h"

#define MAX_CONNS 8

struct conn {
	int fd;			/* -1 when the slot is free */
	struct strbuf request;
	int answered;
};

static struct loop *loop;
static int listen_fd = -1;
static char url[64];
static struct conn conns[MAX_CONNS];
static const uint8_t *answer;	/* this input: the raw response */
static size_t answer_len;

static void
conn_close(struct conn *c)
{
	if (c->fd < 0)
		return;
	loop_del_fd(loop, c->fd);
	close(c->fd);
	c->fd = -1;
	strbuf_done(&c->request);
	c->answered = 0;
}

static void
send_answer(struct conn *c)
{
	size_t off = 0;

	while (off < answer_len) {
		ssize_t n = write(c->fd, answer + off, answer_len - off);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	/* The end of the answer is the end of the connection. */
	shutdown(c->fd, SHUT_WR);
	c->answered = 1;
}

/* Read the request; answer once its head is complete; close when the
 * client does. */
static void
on_conn(int fd, int events, void *arg)
{
	struct conn *c = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)events;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	strbuf_add(&c->request, buf, (size_t)n);
	if (!c->answered && strstr(strbuf_str(&c->request), "\r\n\r\n"))
		send_answer(c);
}

static void
on_accept(int fd, int events, void *arg)
{
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	(void)events;
	(void)arg;
	if (cfd < 0)
		return;
	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (conns[i].fd < 0) {
			conns[i].fd = cfd;
			strbuf_init(&conns[i].request);
			loop_add_fd(loop, cfd, LOOP_READ, on_conn, &conns[i]);
			return;
		}
	}
	close(cfd);
}

static void
setup_server(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);

	if (loop)
		return;
	loop = loop_new(NULL);
	for (size_t i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			   0);
	fuzz_require(listen_fd >= 0 &&
		     bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		     listen(listen_fd, 16) == 0 &&
		     getsockname(listen_fd, (struct sockaddr *)&sa, &sl) == 0,
		     "listen on 127.0.0.1");
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/pkg",
		 (unsigned)ntohs(sa.sin_port));
	loop_add_fd(loop, listen_fd, LOOP_READ, on_accept, NULL);
}

struct outcome {
	int done;
};

static void
on_done(const struct http_response *resp, void *arg)
{
	struct outcome *o = arg;

	o->done = 1;
	fuzz_require(resp->result <= HTTP_ERR_TRUNCATED,
		     "a result is one of enum http_result");
	fuzz_require(resp->retry_after_us >= -1,
		     "Retry-After is -1 or a delay");
	fuzz_require(resp->result != HTTP_OK || resp->status > 0,
		     "an answer has a status");
	fuzz_require(resp->error != NULL && resp->body != NULL &&
		     resp->body[resp->body_len] == '\0',
		     "error and body are set, the body NUL-ended");
	fuzz_require((resp->result == HTTP_OK) == (resp->error[0] == '\0'),
		     "an error message exactly when the request failed");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req = {
		.timeout_us = 5000000, .connect_timeout_us = 2000000,
		.max_body = 1 << 16, .max_redirects = -1,
	};
	struct outcome o = { 0 };
	struct err err = { 0 };
	struct http *h;

	setup_server();
	answer = data;
	answer_len = size;
	h = http_new(loop, &err);
	fuzz_require(h != NULL, "http_new");
	req.url = url;
	fuzz_require(http_start(h, &req, on_done, &o, &err) > 0,
		     "http_start");
	while (!o.done)
		loop_run_once(loop, 100000);
	http_free(h);
	for (size_t i = 0; i < MAX_CONNS; i++)
		conn_close(&conns[i]);
	return 0;
}
