/* Every Check suite of the unit test runner. */
#ifndef REWIND_TESTS_SUITES_H
#define REWIND_TESTS_SUITES_H

#include <check.h>

Suite *action_suite(void);
Suite *base_suite(void);
Suite *batch_suite(void);
Suite *journal_suite(void);
Suite *loop_suite(void);
Suite *playbook_suite(void);
Suite *redact_suite(void);
Suite *runner_suite(void);
Suite *sanitize_suite(void);
Suite *session_suite(void);
Suite *sha256_suite(void);
Suite *theme_suite(void);

#endif
