/* Fuzz target: what a registry answers. The input goes to each parser in
 * turn (npm packument, npm dist-tags, PyPI JSON API, PEP 691 simple page);
 * every answer a parser accepts is written to the compact JSON the journal
 * and the disk cache keep, read back, and must be the same answer (a
 * cached or replayed answer shows what the live one showed), and the
 * probe checks run on it. */
#include "config.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "reg_backend.h"
#include "registry.h"

#define PEP691_TYPE "application/vnd.pypi.simple.v1+json"

static void
check_round_trip(const struct reg_answer *a)
{
	struct err err = { 0 };
	char *json = reg_answer_to_json(a);
	struct reg_answer *back = reg_answer_from_json(json, strlen(json),
						       a->type, a->package,
						       &err);

	if (!back)
		fprintf(stderr, "fuzz: reading back %s: %s\n", json, err.msg);
	fuzz_require(back != NULL, "an answer's JSON reads back");
	if (!reg_answer_same_data(a, back))
		fprintf(stderr, "fuzz: the answer changed on its round trip "
			"through %s\n", json);
	fuzz_require(reg_answer_same_data(a, back),
		     "an answer survives its JSON round trip unchanged");
	reg_answer_free(back);
	free(json);
}

static void
judge(const struct reg_answer *a)
{
	char why[512];

	reg_answer_latest_stable(a);
	registry_probe_judge(a, NULL, "1.0.0", why, sizeof(why));
	registry_probe_judge(a, "next", "2.0.0-rc.1", why, sizeof(why));
	if (a->n_versions) {
		const char *v = a->versions[0].version;

		registry_probe_judge_withdrawn(a, v, why, sizeof(why));
		registry_version_is_prerelease(a->type, v);
	}
}

static void
try_parser(enum reg_type t, int kind, const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	struct reg_answer *a = reg_answer_new(t, "pkg");
	const char *body = (const char *)data;
	int rc;

	switch (kind) {
	case 0:
		rc = registry_parse_npm(a, body, size, &err);
		break;
	case 1:
		rc = registry_parse_npm_dist_tags(a, body, size, &err);
		break;
	case 2:
		rc = registry_parse_pypi_json(a, body, size, &err);
		break;
	case 4:
		rc = registry_parse_crates(a, body, size, &err);
		break;
	default:
		rc = registry_parse_pypi_simple(a, PEP691_TYPE, body, size,
						&err);
		break;
	}
	if (rc == 0) {
		check_round_trip(a);
		judge(a);
	}
	reg_answer_free(a);
}

/* The disk cache and a drill scenario's registry state are read back
 * with reg_answer_from_json too. */
static void
try_cached(const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	struct reg_answer *a = reg_answer_from_json((const char *)data, size,
						    REG_NPM, "pkg", &err);

	if (!a)
		return;
	check_round_trip(a);
	judge(a);
	reg_answer_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_cached(data, size);
	try_parser(REG_NPM, 0, data, size);
	try_parser(REG_NPM, 1, data, size);
	try_parser(REG_PYPI, 2, data, size);
	try_parser(REG_PYPI, 3, data, size);
	try_parser(REG_CRATES, 4, data, size);
	return 0;
}
