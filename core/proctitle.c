/* Process titles: the arguments' memory rewritten in place, as ps reads
 * /proc/PID/cmdline from it, and the kernel's short name (PR_SET_NAME). */
#include "config.h"
#include "proctitle.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

static char *area;		/* argv[0] up to the end of the last argument */
static size_t area_len;

void
proctitle_init(int argc, char **argv)
{
	char *end;

	if (argc < 1 || !argv || !argv[0])
		return;
	end = argv[0] + strlen(argv[0]) + 1;
	/* Only the arguments that follow one another in memory count. */
	for (int i = 1; i < argc && argv[i] == end; i++)
		end = argv[i] + strlen(argv[i]) + 1;
	area = argv[0];
	area_len = (size_t)(end - argv[0]);
}

void
proctitle_set(const char *name, const char *title)
{
	char comm[16];

	snprintf(comm, sizeof(comm), "%s", name);
	(void)prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (!area || area_len < 2)
		return;
	memset(area, 0, area_len);
	memcpy(area, title, strnlen(title, area_len - 1));
}
