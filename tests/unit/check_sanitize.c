#include "config.h"
#include "suites.h"
Suite *
sanitize_suite(void)
{
	return suite_create("sanitize");
}
