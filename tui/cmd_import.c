/* `rewind import RUNBOOK.md [-o PLAYBOOK] [--explain]`: a playbook draft from a
 * Markdown runbook, written to a file or stdout, with a summary of what
 * was mapped on stderr. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "err.h"
#include "mdimport.h"
#include "strbuf.h"
#include "xalloc.h"

#define RUNBOOK_MAX (16u << 20)

static int
import_usage(void)
{
	fputs("usage: rewind import RUNBOOK.md [-o PLAYBOOK] [--explain]\n",
	      stderr);
	return EXIT_USAGE;
}

static int
write_output(const char *path, const char *json)
{
	FILE *f = path ? fopen(path, "w") : stdout;

	if (!f) {
		fprintf(stderr, "rewind import: cannot create %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	fputs(json, f);
	fputc('\n', f);
	if ((path ? fclose(f) : fflush(f)) != 0) {
		fprintf(stderr, "rewind import: cannot write %s: %s\n",
			path ? path : "standard output", strerror(errno));
		return -1;
	}
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "explain", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf text = STRBUF_INIT, summary = STRBUF_INIT;
	struct strbuf explain = STRBUF_INIT;
	int want_explain = 0;
	struct err err = { 0 };
	const char *out_path = NULL;
	char *json;
	int c, rc = EXIT_USAGE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:eh", longopts, NULL)) != -1) {
		if (c == 'o')
			out_path = optarg;
		else if (c == 'e')
			want_explain = 1;
		else if (c == 'h') {
			fputs("usage: rewind import RUNBOOK.md [-o PLAYBOOK] "
			      "[--explain]\n"
			      "Draft a playbook from a Markdown runbook; the "
			      "summary goes to stderr, and with --explain what "
			      "each section became.\n", stdout);
			return EXIT_OK;
		} else
			return import_usage();
	}
	if (optind + 1 != argc)
		return import_usage();
	if (strbuf_read_file(&text, argv[optind], RUNBOOK_MAX, &err) < 0) {
		fprintf(stderr, "rewind import: %s\n", err.msg);
		goto out;
	}
	json = mdimport_convert(text.buf ? text.buf : "", text.len,
				argv[optind], &summary,
				want_explain ? &explain : NULL, &err);
	if (!json) {
		fprintf(stderr, "rewind import: %s\n", err.msg);
		goto out;
	}
	fputs(strbuf_str(&summary), stderr);
	if (want_explain)
		fputs(strbuf_str(&explain), stderr);
	rc = write_output(out_path, json) < 0 ? EXIT_USAGE : EXIT_OK;
	if (rc == EXIT_OK && out_path)
		fprintf(stderr, "wrote %s (a draft: review it, then run "
			"`rewind check %s`)\n", out_path, out_path);
	free(json);
out:
	strbuf_done(&text);
	strbuf_done(&summary);
	strbuf_done(&explain);
	return rc;
}
