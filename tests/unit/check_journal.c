#include "config.h"
#include "suites.h"
Suite *
journal_suite(void)
{
	return suite_create("journal");
}
