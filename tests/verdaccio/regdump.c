/* Test driver: watch one package with a registry watcher on a real loop
 * and print every answer as its compact JSON line, until a condition
 * holds or time runs out. Used by the Verdaccio test and benchmark.
 *
 * regdump [--refresh MS] [--until TAG=VERSION] [--count N] [--timeout S]
 *         [--cache DIR] [--time] [--judge TAG=VERSION] [--withdrawn V]
 *         TYPE PACKAGE [URL]
 *
 * --judge and --withdrawn print the registry probes' verdict on the last
 * answer: "probe RESULT WHY" (RESULT 1 holds, 0 does not, -1 no data).
 * Exit 0 when the condition held (N answers, or TAG at VERSION with no
 * error), 1 on time-out, 2 on bad usage. --time prints "first_answer_us N"
 * (start of main to the first complete answer) on stderr. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "http.h"
#include "loop.h"
#include "reg_backend.h"
#include "registry.h"
#include "regwatch.h"

struct dump {
	int count;		/* answers printed */
	int want_count;
	char *until_tag;	/* or NULL */
	const char *until_version;
	int done;
	int timing;
	int64_t start_us;
	const char *judge;	/* TAG=VERSION or NULL */
	const char *withdrawn;	/* VERSION or NULL */
};

static void
print_probes(const struct dump *d, const struct reg_answer *a)
{
	char why[512], tag[256];
	int r;

	if (d->judge && strchr(d->judge, '=')) {
		snprintf(tag, sizeof(tag), "%.*s",
			 (int)(strchr(d->judge, '=') - d->judge), d->judge);
		r = registry_probe_judge(a, tag, strchr(d->judge, '=') + 1,
					 why, sizeof(why));
		printf("probe %d %s\n", r, why);
	}
	if (d->withdrawn) {
		r = registry_probe_judge_withdrawn(a, d->withdrawn, why,
						   sizeof(why));
		printf("probe %d %s\n", r, why);
	}
}

static void
on_answer(const struct reg_answer *a, void *arg)
{
	struct dump *d = arg;
	char *json = reg_answer_to_json(a);

	if (d->timing && d->count == 0 && a->has_data)
		fprintf(stderr, "first_answer_us %lld\n", (long long)(
			clock_mono_now(clock_system()) - d->start_us));
	printf("%s\n", json);
	fflush(stdout);
	free(json);
	d->count++;
	if (d->until_tag) {
		const char *v = a->has_data ? reg_answer_tag(a, d->until_tag)
					    : NULL;

		d->done = v && !a->error && !strcmp(v, d->until_version);
	} else {
		d->done = d->count >= d->want_count;
	}
}

static int
usage(void)
{
	fprintf(stderr, "usage: regdump [--refresh MS] [--until TAG=VERSION] "
		"[--count N] [--timeout S] [--cache DIR] [--time] [--judge "
		"TAG=VERSION] [--withdrawn V] TYPE PACKAGE [URL]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct dump d = { .want_count = 1 };
	struct regwatch_opts o = { .cache_dir = "" };
	double timeout_s = 20;
	enum reg_type t;
	struct err err = { 0 };
	struct loop *l;
	struct http *h;
	struct regwatch *w;
	int64_t end;
	int i;

	d.start_us = clock_mono_now(clock_system());
	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--time")) {
			d.timing = 1;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (!strcmp(argv[i - 1], "--refresh"))
			o.refresh_us = atoll(v) * 1000;
		else if (!strcmp(argv[i - 1], "--count"))
			d.want_count = atoi(v);
		else if (!strcmp(argv[i - 1], "--timeout"))
			timeout_s = atof(v);
		else if (!strcmp(argv[i - 1], "--cache"))
			o.cache_dir = v;
		else if (!strcmp(argv[i - 1], "--judge"))
			d.judge = v;
		else if (!strcmp(argv[i - 1], "--withdrawn"))
			d.withdrawn = v;
		else if (!strcmp(argv[i - 1], "--until") && strchr(v, '=')) {
			d.until_tag = strdup(v);
			*strchr(d.until_tag, '=') = '\0';
			d.until_version = d.until_tag + strlen(d.until_tag) + 1;
		} else
			return usage();
	}
	if (argc - i < 2 || argc - i > 3 || reg_type_parse(argv[i], &t) < 0)
		return usage();
	if (!o.refresh_us)
		o.refresh_us = -1;
	l = loop_new(NULL);
	h = http_new(l, &err);
	if (!h) {
		fprintf(stderr, "regdump: %s\n", err.msg);
		return 1;
	}
	w = regwatch_new(l, h, t, argv[i + 1], argc - i == 3 ? argv[i + 2]
			 : NULL, &o, on_answer, &d);
	end = clock_mono_now(clock_system()) + (int64_t)(timeout_s * 1e6);
	while (!d.done && clock_mono_now(clock_system()) < end)
		loop_run_once(l, 100000);
	print_probes(&d, regwatch_answer(w));
	regwatch_free(w);
	http_free(h);
	loop_free(l);
	free(d.until_tag);
	return d.done ? 0 : 1;
}
