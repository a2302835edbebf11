/* Starting and asking the loopback fixture server from Check tests; its
 * control endpoints are reached with blocking libcurl calls, which is fine
 * in a test and never done in core. */
#include "config.h"
#include "fixsrv.h"

#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

static void
exec_server(int in_fd, int out_fd, const char *script, const char *routes)
{
	dup2(in_fd, 0);
	dup2(out_fd, 1);
	execlp("python3", "python3", script, routes, (char *)NULL);
	_exit(127);
}

static int
read_port(int fd)
{
	char buf[128] = "";
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int port = 0;

	while (n < sizeof(buf) - 1 && !strchr(buf, '\n')) {
		ssize_t got;

		if (poll(&p, 1, (int)(15000 * tu_slack())) <= 0)
			break;
		got = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (got <= 0)
			break;
		n += (size_t)got;
		buf[n] = '\0';
	}
	buf[n] = '\0';
	if (sscanf(buf, "PORT %d", &port) != 1)
		return 0;
	return port;
}

void
fixsrv_start(struct fixsrv *f, const char *dir, const char *routes_json)
{
	char *routes = tu_write_file(dir, "routes.json", routes_json,
				     strlen(routes_json));
	char *script = tu_fixture("fixsrv.py");
	int in[2], out[2];

	ck_assert(pipe(in) == 0 && pipe(out) == 0);
	f->pid = fork();
	ck_assert(f->pid >= 0);
	if (f->pid == 0) {
		close(in[1]);
		close(out[0]);
		exec_server(in[0], out[1], script, routes);
	}
	close(in[0]);
	close(out[1]);
	f->stdin_fd = in[1];
	f->port = read_port(out[0]);
	close(out[0]);
	free(routes);
	free(script);
	ck_assert_msg(f->port > 0, "fixsrv.py did not start");
}

void
fixsrv_stop(struct fixsrv *f)
{
	int status;

	if (f->pid <= 0)
		return;
	close(f->stdin_fd);
	for (int i = 0; i < 500; i++) {
		if (waitpid(f->pid, &status, WNOHANG) == f->pid) {
			f->pid = 0;
			return;
		}
		usleep(10000);
	}
	kill(f->pid, SIGKILL);
	waitpid(f->pid, &status, 0);
	f->pid = 0;
}

char *
fixsrv_url(const struct fixsrv *f, const char *host, const char *path)
{
	return xasprintf("http://%s:%d%s", host ? host : "127.0.0.1", f->port,
			 path);
}

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, data, size * n);
	return size * n;
}

static char *
control(const struct fixsrv *f, const char *method, const char *path,
	const char *body)
{
	CURL *c = curl_easy_init();
	char *url = fixsrv_url(f, NULL, path);
	struct strbuf sb = STRBUF_INIT;
	CURLcode rc;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sb);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	free(url);
	ck_assert_msg(rc == CURLE_OK, "fixsrv %s %s: %s", method, path,
		      curl_easy_strerror(rc));
	return strbuf_detach(&sb);
}

cJSON *
fixsrv_requests(const struct fixsrv *f)
{
	char *text = control(f, "GET", "/_requests", NULL);
	cJSON *list = cJSON_Parse(text);

	free(text);
	ck_assert_msg(cJSON_IsArray(list), "fixsrv /_requests: not a list");
	return list;
}

void
fixsrv_set_routes(const struct fixsrv *f, const char *routes_json)
{
	free(control(f, "PUT", "/_routes", routes_json));
}

int
fixsrv_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(fd >= 0);
	ck_assert(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	ck_assert(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	close(fd);
	return ntohs(a.sin_port);
}
