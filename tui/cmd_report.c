/* `rewind report SESSION [--format md|json] [-o FILE]`: the post-mortem
 * draft of a session, to stdout or a file. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "commands.h"
#include "err.h"
#include "report.h"
#include "strbuf.h"

static int
report_usage(void)
{
	fputs("usage: rewind report SESSION [--format md|json] [-o FILE]\n",
	      stderr);
	return EXIT_USAGE;
}

static int
emit(const char *path, const char *text)
{
	FILE *f = path ? fopen(path, "w") : stdout;

	if (!f) {
		fprintf(stderr, "rewind report: cannot create %s: %s\n", path,
			strerror(errno));
		return EXIT_USAGE;
	}
	fputs(text, f);
	if ((path ? fclose(f) : fflush(f)) != 0) {
		fprintf(stderr, "rewind report: cannot write %s: %s\n",
			path ? path : "standard output", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf out = STRBUF_INIT;
	struct err err = { 0 };
	const char *path = NULL, *format = "md";
	char *found;
	cJSON *rep;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'o')
			path = optarg;
		else if (c == 'h') {
			fputs("usage: rewind report SESSION [--format md|json] "
			      "[-o FILE]\n", stdout);
			return EXIT_OK;
		} else
			return report_usage();
	}
	if (optind + 1 != argc ||
	    (strcmp(format, "md") != 0 && strcmp(format, "json") != 0))
		return report_usage();
	found = cli_find_session(argv[optind], 0, &err);
	if (err.msg[0]) {
		fprintf(stderr, "rewind report: %s\n", err.msg);
		return EXIT_USAGE;
	}
	rep = report_build(found ? found : argv[optind], &err);
	free(found);
	if (!rep) {
		fprintf(stderr, "rewind report: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (strcmp(format, "json") == 0) {
		char *json = cJSON_Print(rep);

		strbuf_adds(&out, json);
		strbuf_addc(&out, '\n');
		free(json);
	} else {
		report_render_md(rep, &out);
	}
	rc = emit(path, strbuf_str(&out));
	if (rc == EXIT_OK && !cJSON_IsTrue(cJSON_GetObjectItem(
		    cJSON_GetObjectItem(rep, "integrity"), "intact")))
		rc = EXIT_INCOMPLETE;	/* written, but the record is broken */
	cJSON_Delete(rep);
	strbuf_done(&out);
	return rc;
}
