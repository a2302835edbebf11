#include "config.h"
#include "suites.h"
Suite *
runner_suite(void)
{
	return suite_create("runner");
}
