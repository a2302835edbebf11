#include "config.h"
#include "suites.h"
Suite *
batch_suite(void)
{
	return suite_create("batch");
}
