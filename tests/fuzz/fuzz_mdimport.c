/* Fuzz target: `rewind import`, Markdown runbook to playbook draft. The
 * property is the importer's promise: a draft it writes is one the loader
 * accepts. */
#include "config.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mdimport.h"
#include "playbook.h"
#include "strbuf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	struct strbuf summary = STRBUF_INIT, explain = STRBUF_INIT;
	char *draft = mdimport_convert((const char *)data, size, "fuzz.md",
				       &summary, &explain, &err);
	struct playbook *pb;

	strbuf_done(&summary);
	strbuf_done(&explain);
	if (!draft)
		return 0;
	pb = playbook_load_buffer(draft, strlen(draft), "draft.json", &err);
	if (!pb)
		fprintf(stderr, "fuzz: the loader refused the draft: %s\n",
			err.msg);
	fuzz_require(pb != NULL, "the loader accepts every imported draft");
	playbook_free(pb);
	free(draft);
	return 0;
}
