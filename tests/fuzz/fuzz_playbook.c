/* Fuzz target: the playbook loader (JSON to struct playbook, the schema's
 * rules, the patterns it compiles) and then every lint rule of
 * `rewind check`, with each finding formatted as the command prints it. */
#include "config.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lint.h"
#include "playbook.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	struct playbook *pb = playbook_load_buffer((const char *)data, size,
						   "fuzz.json", &err);
	struct lint_report report = { 0 };

	if (!pb) {
		fuzz_require(err.msg[0] != '\0', "a refused playbook says why");
		return 0;
	}
	lint_playbook(pb, &report);
	fuzz_require(report.n_errors + report.n_warnings == report.n_msgs,
		     "lint counts add up");
	for (size_t i = 0; i < report.n_msgs; i++)
		free(lint_msg_format(&report.msgs[i], "fuzz.json"));
	lint_report_done(&report);
	playbook_free(pb);
	return 0;
}
