#include "config.h"
#include "suites.h"
Suite *
action_suite(void)
{
	return suite_create("action");
}
