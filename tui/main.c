/* rewind's entry point: parse the command line and hand over to the
 * sub-command. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "app.h"
#include "batch.h"
#include "cli.h"
#include "commands.h"
#include "keeper.h"
#include "proctitle.h"
#include "term.h"

static int
run_console(const struct cli_opts *o)
{
	/* Refused before anything is fetched or published. */
	if (o->take && !term_has_terminal()) {
		fputs("rewind: --take: not taken: the console needs a terminal "
		      "(its input or output is not one); take it with --batch "
		      "to drive it from a script\n", stderr);
		return EXIT_USAGE;
	}
	return app_main(o);
}

int
main(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	char *keeper;
	int rc;

	proctitle_init(argc, argv);
	/* A step's command runs behind the keeper program (keeper.h). */
	keeper = keeper_find_for_self();
	keeper_enable(keeper);
	free(keeper);
	setlocale(LC_ALL, "");
	umask(077);	/* session files and directories are private */
	if (argc > 1 && command_find(argv[1]))
		return command_find(argv[1])->main(argc - 1, argv + 1);
	rc = cli_parse(argc, argv, &o);
	if (rc != 0) {
		cli_opts_done(&o);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	switch (o.command) {
	case CMD_CHECK: rc = cli_check(&o); break;
	case CMD_VERIFY: rc = cli_verify(&o); break;
	case CMD_APPROVE: rc = cli_approve(&o); break;
	case CMD_DEFAULT:
		o.command = CMD_DRILL;
		rc = o.batch ? batch_main(&o) : run_console(&o);
		break;
	default:
		rc = o.inject ? cli_inject(&o)
		   : o.batch || o.list_scenarios ? batch_main(&o)
		   : run_console(&o);
		break;
	}
	cli_opts_done(&o);
	return rc;
}
