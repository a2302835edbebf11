/* Runs every unit suite; Check's own summary is the last line. */
#include "config.h"

#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	Suite *(*const suites[])(void) = {
		base_suite, sha256_suite, journal_suite, loop_suite,
		redact_suite, runner_suite, playbook_suite, action_suite,
		sanitize_suite, session_suite, batch_suite, theme_suite,
	};
	SRunner *sr = srunner_create(NULL);
	int n_failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
