#include "config.h"
#include "suites.h"
Suite *
sha256_suite(void)
{
	return suite_create("sha256");
}
