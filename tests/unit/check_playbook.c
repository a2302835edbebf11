#include "config.h"
#include "suites.h"
Suite *
playbook_suite(void)
{
	return suite_create("playbook");
}
