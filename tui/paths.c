/* Locating the program's own directory. */
#include "config.h"
#include "paths.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

char *
paths_program_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}
