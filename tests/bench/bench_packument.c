/* Benchmark: an npm package with 10,000 versions, as a registry sends it
 * (a full packument, about 6 MB with each version's manifest and time):
 * parsed and drawn into a 120x40 Registry pane, scrolled to the middle
 * and drawn again, all in process. Goal: < 100 ms from the body in
 * memory to the pane drawn (a keypress must feel instant, and this is
 * what a refresh of a big package costs the console). Median of 9. */
#include "config.h"
#include "bench.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "err.h"
#include "pane_registry.h"
#include "registry.h"
#include "strbuf.h"

#define N_VERSIONS 10000
#define RUNS 9

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void
add_version(struct strbuf *b, int i)
{
	strbuf_addf(b, "%s\"%d.%d.%d\":{\"name\":\"big-pkg\",\"version\":"
		    "\"%d.%d.%d\",\"description\":\"A package with many "
		    "releases\",\"main\":\"index.js\",\"license\":\"MIT\","
		    "\"dependencies\":{\"left-pad\":\"^1.3.0\",\"debug\":"
		    "\"^4.3.%d\"},\"dist\":{\"tarball\":\"http://127.0.0.1/"
		    "big-pkg/-/big-pkg-%d.%d.%d.tgz\",\"shasum\":\"%040x\","
		    "\"integrity\":\"sha512-%086d==\"}%s}",
		    i ? "," : "", i / 1000, i / 10 % 100, i % 10,
		    i / 1000, i / 10 % 100, i % 10, i % 7,
		    i / 1000, i / 10 % 100, i % 10, i, i,
		    i % 97 == 0 ? ",\"deprecated\":\"use a newer one\"" : "");
}

static void
build_packument(struct strbuf *b)
{
	strbuf_adds(b, "{\"_id\":\"big-pkg\",\"name\":\"big-pkg\","
		    "\"dist-tags\":{\"latest\":\"9.99.9\",\"next\":\"9.99.8\"},"
		    "\"versions\":{");
	for (int i = 0; i < N_VERSIONS; i++)
		add_version(b, i);
	strbuf_adds(b, "},\"time\":{\"created\":\"2020-01-01T00:00:00.000Z\"");
	for (int i = 0; i < N_VERSIONS; i++)
		strbuf_addf(b, ",\"%d.%d.%d\":\"2021-%02d-%02dT10:%02d:00.000Z\"",
			    i / 1000, i / 10 % 100, i % 10, 1 + i % 12,
			    1 + i % 28, i % 60);
	strbuf_adds(b, "}}");
}

/* Parse BODY and draw the pane twice (top, then scrolled half-way). */
static double
parse_and_draw(WINDOW *w, const struct strbuf *body)
{
	struct rect r = { 0, 0, 40, 120 };
	struct reg_answer *a = reg_answer_new(REG_NPM, "big-pkg");
	const struct reg_answer *list[1] = { a };
	struct err err = { 0 };
	double t0 = now_ms(), ms;
	int lines;

	if (registry_parse_npm(a, body->buf, body->len, &err) < 0) {
		fprintf(stderr, "bench_packument: %s\n", err.msg);
		exit(1);
	}
	pane_registry_draw_sel(w, r, list, 1, 0, 0, NULL, clock_wall_now(clock_system()));
	lines = pane_registry_lines(r, list, 1, NULL);
	pane_registry_draw_sel(w, r, list, 1, lines / 2, N_VERSIONS / 2, NULL,
			       clock_wall_now(clock_system()));
	wnoutrefresh(w);
	ms = now_ms() - t0;
	reg_answer_free(a);
	return ms;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(void)
{
	struct strbuf body = STRBUF_INIT;
	double t[RUNS];
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	WINDOW *w;

	setenv("TERM", "xterm", 1);
	scr = newterm("xterm", out, in);
	if (!scr)
		return 1;
	w = newwin(40, 120, 0, 0);
	build_packument(&body);
	for (int i = 0; i < RUNS; i++)
		t[i] = parse_and_draw(w, &body);
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("packument: %d-version npm package (%zu KB) parsed and drawn "
	       "in the Registry pane: median %.1f ms (goal < 100 ms) %s\n",
	       N_VERSIONS, body.len / 1024, t[RUNS / 2],
	       bench_verdict(t[RUNS / 2] < 100));
	delwin(w);
	endwin();
	delscreen(scr);
	strbuf_done(&body);
	return 0;
}
