/* Fuzz target: version ordering, which sorts tags and registry versions
 * (qsort needs a total order). The input holds up to three version
 * strings, one a line; each comparator must be reflexive, antisymmetric
 * and transitive on them: registry_version_cmp (npm and PyPI versions)
 * and semver_compare (git tags). */
#include "config.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "semver.h"

typedef int (*version_cmp_fn)(const char *a, const char *b);

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

static void
report(const char *name, const char *what, const char *x, const char *y,
       const char *z)
{
	fprintf(stderr, "fuzz: %s is not %s on \"%s\", \"%s\", \"%s\"\n", name,
		what, x, y, z);
}

static void
check_order(const char *name, version_cmp_fn cmp, const char *const v[3])
{
	static const int perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};

	for (int i = 0; i < 3; i++) {
		int ok = cmp(v[i], v[i]) == 0;

		if (!ok)
			report(name, "reflexive", v[i], v[i], v[i]);
		fuzz_require(ok, "a version equals itself");
		for (int k = 0; k < 3; k++) {
			ok = sign(cmp(v[i], v[k])) == -sign(cmp(v[k], v[i]));
			if (!ok)
				report(name, "antisymmetric", v[i], v[k], "");
			fuzz_require(ok, "cmp(a, b) = -cmp(b, a)");
		}
	}
	for (int p = 0; p < 6; p++) {
		const char *x = v[perm[p][0]], *y = v[perm[p][1]],
			   *z = v[perm[p][2]];
		int ok = !(cmp(x, y) <= 0 && cmp(y, z) <= 0) || cmp(x, z) <= 0;

		if (!ok)
			report(name, "transitive (x <= y <= z but x > z)", x, y,
			       z);
		fuzz_require(ok, "x <= y and y <= z give x <= z");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	const char *v[3] = { "", "", "" };
	char *p = text;

	for (int i = 0; i < 3 && p; i++) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		v[i] = p;
		p = nl ? nl + 1 : NULL;
	}
	/* Each comparator on its own: a finding stops the run, naming which. */
	check_order("semver_compare", semver_compare, v);
	check_order("registry_version_cmp", registry_version_cmp, v);
	free(text);
	return 0;
}
