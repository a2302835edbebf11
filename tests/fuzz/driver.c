/* A main() for the fuzz targets when libFuzzer is not linked in (the
 * normal build, gcc or clang): each file named on the command line, or
 * each file of each directory named, is fed once to
 * LLVMFuzzerTestOneInput. Arguments starting with '-' (libFuzzer's
 * options, such as -runs=0) are ignored, so one command line serves both
 * builds. Exit 0 when every input ran; a finding aborts. */
#include "config.h"
#include "fuzz.h"

#ifndef REWIND_LIBFUZZER

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap)
			buf = xrealloc(buf, cap = cap ? cap * 2 : 4096);
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* A private copy of exactly LEN bytes, so ASan sees any overread. */
	{
		uint8_t *input = xmalloc(len ? len : 1);

		if (len)
			memcpy(input, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(input, len);
		free(input);
	}
	return 0;
}

static int
name_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of DIR, in name order (so a run is repeatable). */
static int
run_dir(const char *dir, size_t *n_run)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_order);
	for (size_t i = 0; i < n; i++) {
		if (run_file(names[i]) < 0)
			rc = -1;
		else
			(*n_run)++;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t n_run = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			rc |= run_dir(argv[i], &n_run) < 0;
		} else if (run_file(argv[i]) < 0) {
			rc = 1;
		} else {
			n_run++;
		}
	}
	fprintf(stderr, "%s: %zu inputs run\n", argv[0], n_run);
	return rc;
}

#endif
