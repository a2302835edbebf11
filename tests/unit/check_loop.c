#include "config.h"
#include "suites.h"
Suite *
loop_suite(void)
{
	return suite_create("loop");
}
