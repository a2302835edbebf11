#include "config.h"
#include "suites.h"
Suite *
base_suite(void)
{
	return suite_create("base");
}
