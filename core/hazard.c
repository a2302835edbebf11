/* Hazards of a shell command. One table of POSIX extended expressions,
 * compiled on first use, says which commands destroy or change shared
 * state, which need a terminal and which wait or follow; import marks
 * steps from it and lint checks marked steps against it, so both always
 * agree. Each rule matches within one simple command of one line. */
#include "config.h"
#include "hazard.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

/* A command word starts a line or follows a blank or an operator. */
#define CMD "(^|[;&|({!`[:space:]]|\\$\\()"
/* Anything else of the same simple command. */
#define ARGS "[^;&|\n]*[[:space:]]"
#define END "([[:space:];&|)\"']|$)"

#define SEC(n) ((int64_t)(n) * 1000000)

struct hazard_rule {
	enum hazard_kind kind;
	const char *name;	/* what lint names, e.g. "helm rollback" */
	const char *re;
	int icase;		/* SQL keywords come in either case */
	int64_t timeout_us;	/* HAZARD_WAITS: the bound to suggest */
	int (*exempt)(const char *line, const char *args); /* or NULL */
};

static int rm_only_caches(const char *line, const char *args);
static int find_only_caches(const char *line, const char *args);

static const struct hazard_rule rules[] = {
	/* Kubernetes and OpenShift */
	{ HAZARD_DESTRUCTIVE, "kubectl rollout undo",
	  CMD "(kubectl|oc)" ARGS "rollout[[:space:]]+undo" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "kubectl rollout restart",
	  CMD "(kubectl|oc)" ARGS "rollout[[:space:]]+restart" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "kubectl set image",
	  CMD "(kubectl|oc)" ARGS "set[[:space:]]+image" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "kubectl patch/apply/replace/delete/drain",
	  CMD "(kubectl|oc)" ARGS "(patch|apply|replace|delete|drain|cordon)"
	  END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "kubectl scale --replicas=0",
	  CMD "(kubectl|oc)" ARGS "scale" ARGS "--replicas[= ]0" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "kubectl argo rollouts",
	  CMD "kubectl" ARGS "argo[[:space:]]+rollouts[[:space:]]+"
	  "(undo|abort|promote|retry|set)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "helm rollback/uninstall/upgrade",
	  CMD "helm" ARGS "(rollback|uninstall|delete|upgrade)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "argocd app rollback/sync",
	  CMD "argocd" ARGS "app[[:space:]]+(rollback|sync|delete|set)" END,
	  0, 0, NULL },
	/* Terraform and OpenTofu */
	{ HAZARD_DESTRUCTIVE, "terraform apply/destroy",
	  CMD "(terraform|tofu|terragrunt)" ARGS
	  "(apply|destroy|force-unlock|import|taint)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "terraform state rm/push/mv",
	  CMD "(terraform|tofu|terragrunt)" ARGS "state[[:space:]]+(rm|push|mv)"
	  END, 0, 0, NULL },
	/* git */
	{ HAZARD_DESTRUCTIVE, "git push --force",
	  CMD "git" ARGS "push" ARGS "(--force[a-z-]*|-f|--delete|-d|"
	  "--mirror|\\+[^[:space:]]+|:[^[:space:]]+)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "git reset --hard",
	  CMD "git" ARGS "reset" ARGS "--hard" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "git tag -d / branch -D",
	  CMD "git" ARGS "(tag" ARGS "(-d|--delete)|branch" ARGS "(-D|"
	  "--delete[[:space:]]+--force))" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "git clean -f",
	  CMD "git" ARGS "clean" ARGS "-[a-zA-Z]*f[a-zA-Z]*" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "git checkout --force / stash drop",
	  CMD "git" ARGS "(checkout" ARGS "(-f|--force)|stash[[:space:]]+"
	  "(drop|clear))" END, 0, 0, NULL },
	/* package registries */
	{ HAZARD_DESTRUCTIVE, "npm dist-tag add/rm",
	  CMD "(npm|pnpm|yarn)" ARGS "dist-tag[[:space:]]+(add|rm)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "npm unpublish/deprecate/publish",
	  CMD "(npm|pnpm|yarn)" ARGS "(unpublish|deprecate|publish)" END, 0, 0,
	  NULL },
	{ HAZARD_DESTRUCTIVE, "twine upload / yank",
	  CMD "(twine" ARGS "upload|poetry" ARGS "publish|cargo" ARGS "yank|"
	  "gem" ARGS "yank|pypi-yank|gh" ARGS "release[[:space:]]+delete)" END,
	  0, 0, NULL },
	/* databases */
	{ HAZARD_DESTRUCTIVE, "pg_restore --clean",
	  CMD "pg_restore" ARGS "(--clean|-c|-[a-zA-Z]*c[a-zA-Z]*)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "DROP/TRUNCATE/DELETE",
	  "(^|[^[:alnum:]_])((drop[[:space:]]+(table|database|schema|index|"
	  "column)|delete[[:space:]]+from|alter[[:space:]]+table)"
	  "([^[:alnum:]_]|$)|truncate([[:space:]]+table)?[[:space:]]+"
	  "[[:alnum:]_\"])",
	  1, 0, NULL },
	/* a SELECT that calls a function changing the server's state */
	{ HAZARD_DESTRUCTIVE, "SQL state-changing function",
	  "(^|[^[:alnum:]_])(pg_terminate_backend|pg_cancel_backend|setval|"
	  "nextval|lo_unlink|dblink_exec|pg_reload_conf|pg_promote|"
	  "pg_switch_wal|pg_drop_replication_slot|pg_advisory_unlock_all|"
	  "pg_stat_reset[a-z_]*)[[:space:]]*\\(",
	  1, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "redis del/flush",
	  CMD "redis-cli" ARGS "?(del|unlink|flushdb|flushall|FLUSHDB|FLUSHALL|"
	  "DEL)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "migration undo",
	  CMD "(flyway" ARGS "(undo|clean)|liquibase" ARGS "rollback[a-zA-Z-]*|"
	  "alembic" ARGS "downgrade|rails" ARGS "db:rollback|rake" ARGS
	  "db:rollback|knex" ARGS "migrate:rollback|sqitch" ARGS "revert|"
	  "prisma" ARGS "migrate[[:space:]]+reset)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "migrate down",
	  "(^|[[:space:]])(db:migrate:(down|undo[:a-z]*|redo|reset)|"
	  "db:(rollback|drop|reset|schema:load)|migrate:(down|rollback|reset|"
	  "undo[:a-z]*))" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "migrate down",
	  CMD "(goose|migrate|dbmate|diesel[[:space:]]+migration|"
	  "sql-migrate|atlas[[:space:]]+migrate)" ARGS
	  "?(down|down-to|reset|drop|force|rollback|revert|redo)" END, 0, 0,
	  NULL },
	{ HAZARD_DESTRUCTIVE, "psql -f FILE",
	  CMD "(psql|mysql|mariadb|sqlite3|cqlsh|mongosh|mongo|sqlcmd|sqlplus)"
	  ARGS "?(-f|-i|--file|--input-file)([[:space:]=]|$)", 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "psql -f FILE",
	  CMD "(psql|mysql|mariadb|sqlite3|cqlsh|mongosh|mongo)[^;&|\n<]*"
	  "<[[:space:]]*[^<[:space:]]", 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "cloud database restore",
	  CMD "(aws" ARGS "rds" ARGS "(restore-[a-z-]+|delete-[a-z-]+|"
	  "failover-[a-z-]+)|gcloud" ARGS "sql" ARGS "(restore|restore-backup|"
	  "delete)|az" ARGS "(sql|postgres|mysql)" ARGS "(restore|delete))"
	  END, 0, 0, NULL },
	/* files, processes, services, traffic */
	{ HAZARD_DESTRUCTIVE, "rm -rf",
	  CMD "rm" ARGS "?-[a-zA-Z]*[rRf][a-zA-Z]*" END, 0, 0, rm_only_caches },
	{ HAZARD_DESTRUCTIVE, "find -delete",
	  CMD "find" ARGS "(-delete|-exec(dir)?[[:space:]]+rm)" END, 0, 0,
	  find_only_caches },
	{ HAZARD_DESTRUCTIVE, "curl -X DELETE",
	  CMD "(curl|wget|http|https|xh)" ARGS "?(-X[[:space:]]*|--request"
	  "[[:space:]=]+|--method[[:space:]=]+|-[a-zA-Z]*X[[:space:]]*)?"
	  "['\"]?(DELETE|delete)['\"]?" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "curl -X PATCH",
	  CMD "(curl|wget)" ARGS "?(-X[[:space:]]*|--request[[:space:]=]+|"
	  "--method[[:space:]=]+|-[a-zA-Z]*X[[:space:]]*)['\"]?(PATCH|patch)"
	  "['\"]?" END "|" CMD "(http|https|xh)[[:space:]]+(-[^[:space:]]+"
	  "[[:space:]]+)*PATCH" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "curl -X PUT/POST to a flag or admin API",
	  CMD "(curl|wget)" ARGS "?(-X[[:space:]]*|--request[[:space:]=]+|"
	  "--method[[:space:]=]+)['\"]?(PUT|POST|put|post)['\"]?"
	  "[^;&|\n]*(flag|feature|toggle|kill|switch|admin)|" CMD
	  "(curl|wget)[^;&|\n]*(flag|feature|toggle|kill|switch|admin)"
	  ARGS "(-X[[:space:]]*|--request[[:space:]=]+)['\"]?(PUT|POST|put|"
	  "post)['\"]?" END, 1, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "aws s3 rm",
	  CMD "(aws" ARGS "s3" ARGS "(rm|rb)|aws" ARGS "s3" ARGS "sync" ARGS
	  "--delete|gsutil" ARGS "rm)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "traffic switch",
	  CMD "(aws" ARGS "(elbv2" ARGS "modify-(listener|rule)|ecs" ARGS
	  "update-service|deploy" ARGS "stop-deployment|lambda" ARGS
	  "update-alias)|gcloud" ARGS "(run" ARGS "services" ARGS
	  "update-traffic|app" ARGS "services" ARGS "set-traffic)|"
	  "fastlane" ARGS "(deliver|supply|pilot))" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "kill",
	  CMD "(pkill|killall|kill[[:space:]]+-(9|KILL|TERM|15))" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "systemctl stop/restart",
	  CMD "(systemctl" ARGS "(stop|restart|disable|kill)|service"
	  "[[:space:]]+[^[:space:]]+[[:space:]]+(stop|restart))" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "docker rm/stop/push",
	  CMD "(docker|podman)" ARGS "(rm|rmi|stop|kill|push)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "docker compose up/down",
	  CMD "(docker[[:space:]]+compose|docker-compose|podman-compose)" ARGS
	  "?(up|down|restart|stop|rm)" END, 0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "deploy/release target",
	  CMD "(make|just|task|rake|(npm|pnpm|yarn)[[:space:]]+run)" ARGS
	  "?(deploy|release|publish|rollback|promote)([:_-][[:alnum:]_-]*)?" END,
	  0, 0, NULL },
	/* "> ~/.npmrc" replaces the operator's own file (a login, a
	 * config), whoever runs the step */
	{ HAZARD_DESTRUCTIVE, "overwrite a file in the home directory",
	  "(^|[^>&0-9])>[|]?[[:space:]]*[\"']?(~|\\$HOME|\\$\\{HOME\\})/",
	  0, 0, NULL },
	{ HAZARD_DESTRUCTIVE, "dd/mkfs",
	  CMD "(dd" ARGS "?if=|mkfs[.a-z0-9]*)" END, 0, 0, NULL },

	{ HAZARD_INTERACTIVE, "kubectl edit",
	  CMD "(kubectl|oc)" ARGS "edit" END, 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "exec -it",
	  CMD "(kubectl|oc|docker|podman)" ARGS "(exec|run|attach|debug)" ARGS
	  "?(-it|-ti|--tty|-i[[:space:]]+-t)" END, 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "ssh",
	  CMD "(ssh|mosh|telnet)" END, 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "editor",
	  CMD "(vi|vim|nvim|nano|emacs|pico|\\$EDITOR|\\$\\{EDITOR\\})" END, 0, 0,
	  NULL },
	{ HAZARD_INTERACTIVE, "pager",
	  CMD "(less|more|top|htop|man)" END, 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "database shell",
	  CMD "(psql|mysql|mongo|mongosh|redis-cli|sqlite3)([[:space:]]+"
	  "[^-;&|[:space:]][^;&|[:space:]]*)?[[:space:]]*$", 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "login",
	  CMD "((npm|pnpm|yarn)" ARGS "?(login|adduser)|gh" ARGS "auth" ARGS
	  "login|(gcloud" ARGS "auth" ARGS "login)|aws" ARGS "configure|"
	  "(docker|podman)" ARGS "login)" END, 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "read -p",
	  CMD "read" ARGS "?-[a-z]*p", 0, 0, NULL },
	{ HAZARD_INTERACTIVE, "git rebase -i / add -p",
	  CMD "git" ARGS "(rebase" ARGS "-i|add" ARGS "-p)" END, 0, 0, NULL },

	{ HAZARD_WAITS, "sleep",
	  CMD "sleep[[:space:]]+[0-9]+[smh]?" END, 0, 0, NULL },
	{ HAZARD_WAITS, "rollout status / wait",
	  CMD "((kubectl|oc)" ARGS "(rollout[[:space:]]+status|wait)|argocd"
	  ARGS "app[[:space:]]+wait|aws" ARGS "wait|helm" ARGS "--wait)" END,
	  0, SEC(600), NULL },
	{ HAZARD_WAITS, "watch",
	  CMD "(watch|(kubectl|oc)" ARGS "(-w|--watch)|kubectl" ARGS
	  "port-forward)" END, 0, SEC(120), NULL },
	{ HAZARD_WAITS, "follow",
	  CMD "((kubectl|oc|docker|podman)" ARGS "logs" ARGS "(-f|--follow)|"
	  "(tail|journalctl)" ARGS "(-f|-F|--follow)|stern)" END, 0, SEC(120), NULL },
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* Folders a build makes again, which rm -rf may clear without care. */
static int
is_cache_path(const char *w, size_t n, const char *line)
{
	static const char *const caches[] = {
		"node_modules", "__pycache__", ".pytest_cache", ".cache",
		".mypy_cache", ".next", ".nuxt", ".turbo", ".parcel-cache",
		NULL,
	};
	const char *base = w;

	for (size_t i = 0; i + 1 < n; i++)
		if (w[i] == '/')
			base = w + i + 1;
	if (n == 2 && memcmp(w, "{}", 2) == 0)
		return strstr(line, "__pycache__") != NULL;
	for (size_t i = 0; caches[i]; i++)
		if ((size_t)(w + n - base) >= strlen(caches[i]) &&
		    strncmp(base, caches[i], strlen(caches[i])) == 0 &&
		    (base[strlen(caches[i])] == '/' ||
		     base + strlen(caches[i]) == w + n))
			return 1;
	return 0;
}

/* ARGS: what follows "rm" in LINE, to the end of its simple command. */
static int
rm_only_caches(const char *line, const char *args)
{
	size_t end = strcspn(args, ";&|\n");
	int any = 0;

	for (size_t i = 0; i < end;) {
		size_t n;

		i += strspn(args + i, " \t");
		n = strcspn(args + i, " \t;&|\n");
		if (n > end - i)
			n = end - i;
		if (n && args[i] != '-' && args[i] != '+') {
			if (!is_cache_path(args + i, n, line))
				return 0;
			any = 1;
		}
		i += n ? n : 1;
	}
	return any;
}

/* A find that deletes only what a build makes again: every -name it
 * tests names a cache ("__pycache__", "*.pyc"). ARGS follows the match,
 * so the tests are on the line before it. */
static int
find_only_caches(const char *line, const char *args)
{
	const char *start = args, *p;
	int any = 0;

	while (start > line && start[-1] != '\n')
		start--;
	for (p = start; (p = strstr(p, "-name ")) && p < args; p += 6) {
		const char *w = p + 6;
		size_t n;

		w += strspn(w, " \t\"'");
		n = strcspn(w, " \t\"'");
		if ((n == 5 && (strncmp(w, "*.pyc", 5) == 0 ||
				strncmp(w, "*.pyo", 5) == 0)) ||
		    is_cache_path(w, n, "")) {
			any = 1;
			continue;
		}
		return 0;
	}
	return any;
}

static regex_t compiled[N_RULES];
static int is_compiled;

static void
compile_rules(void)
{
	for (size_t i = 0; i < N_RULES; i++)
		if (regcomp(&compiled[i], rules[i].re, REG_EXTENDED |
			    REG_NEWLINE | (rules[i].icase ? REG_ICASE : 0)))
			BUG("bad hazard pattern");
	is_compiled = 1;
}

static int
is_word_end(char c)
{
	return !c || isspace((unsigned char)c) || strchr(";&|()\"'`", c);
}

/* The match at SO..EO as whole words: without the boundary before the
 * command, out to the end of the last word, without closing quotes. */
static void
whole_words(const char *cmd, regoff_t so, regoff_t eo, const char **start,
	    const char **end)
{
	const char *s = cmd + so, *e = cmd + eo;

	while (s < e && is_word_end(*s))
		s++;
	if (s < e && *s == '$' && s[1] == '(')
		s += 2;
	while (e > s && is_word_end(e[-1]))
		e--;
	while (!is_word_end(*e))
		e++;
	*start = s;
	*end = e;
}

/* How much a destructive match destroys: 2 for what cannot be taken
 * back (drop, delete, destroy, force-push, reset --hard, rm -rf), 1 for
 * any other change. */
static int
severity(const struct hazard_rule *r, const char *s, const char *e)
{
	static const char *const worst[] = { "git push --force",
		"git reset --hard", "rm -rf", "DROP/TRUNCATE/DELETE",
		"find -delete", "aws s3 rm", "redis del/flush", "dd/mkfs",
		"git tag -d / branch -D", "git clean -f", "pg_restore --clean",
		NULL };
	static const char *const verbs[] = { "drop", "delete", "destroy",
		"truncate", "uninstall", "unpublish", "purge", NULL };

	for (size_t i = 0; worst[i]; i++)
		if (strcmp(r->name, worst[i]) == 0)
			return 2;
	while (s < e) {
		size_t n;

		s += strspn(s, " \t-");
		n = strcspn(s, " \t");
		if (s + n > e)
			n = (size_t)(e - s);
		for (size_t i = 0; verbs[i]; i++)
			if (n == strlen(verbs[i]) &&
			    strncasecmp(s, verbs[i], n) == 0)
				return 2;
		s += n;
	}
	return 1;
}

/* The first match of rule I in CMD from AT on that its exemption does
 * not pass over, its span in M (from CMD). */
static int
rule_match(size_t i, const char *cmd, const char *at, regmatch_t *m)
{
	while (regexec(&compiled[i], at, 1, m, at == cmd ? 0 :
		       REG_NOTBOL) == 0) {
		if (!rules[i].exempt || !rules[i].exempt(at, at + m->rm_eo)) {
			m->rm_so += at - cmd;
			m->rm_eo += at - cmd;
			return 1;
		}
		at += m->rm_eo > 0 ? m->rm_eo : 1;
	}
	return 0;
}

/* The rule of KIND CMD matches, its span in M. A harmless use is passed
 * over, a later one may still count. Of destructive matches the most
 * destructive is taken (a step's "pg_dump; psql -c 'drop database app'"
 * is the drop), the first rule of the table among equals. */
static const struct hazard_rule *
find_rule(enum hazard_kind kind, const char *cmd, regmatch_t *m)
{
	const struct hazard_rule *best = NULL;
	int best_rank = 0;

	if (!is_compiled)
		compile_rules();
	for (size_t i = 0; i < N_RULES && best_rank < 2; i++) {
		const char *at = cmd;
		regmatch_t h;

		if (rules[i].kind != kind)
			continue;
		while (rule_match(i, cmd, at, &h)) {
			const char *s, *e;
			int rank = 1;

			if (kind == HAZARD_DESTRUCTIVE) {
				whole_words(cmd, h.rm_so, h.rm_eo, &s, &e);
				rank = severity(&rules[i], s, e);
			}
			if (rank > best_rank) {
				best = &rules[i];
				best_rank = rank;
				*m = h;
			}
			if (kind != HAZARD_DESTRUCTIVE || rank == 2)
				break;
			at = cmd + (h.rm_eo > h.rm_so ? h.rm_eo : h.rm_so + 1);
			if (!*at)
				break;
		}
		if (best && kind != HAZARD_DESTRUCTIVE)
			break;
	}
	return best;
}

/* terraform apply/destroy asks "yes" on the terminal unless told not to. */
static int
terraform_prompts(const char *cmd)
{
	regmatch_t m;
	const struct hazard_rule *r = find_rule(HAZARD_DESTRUCTIVE, cmd, &m);

	return r && strcmp(r->name, "terraform apply/destroy") == 0 &&
	       !strstr(cmd, "-auto-approve") && !strstr(cmd, "plan.out") &&
	       !strstr(cmd, ".tfplan") && !strstr(cmd, "force-unlock -force");
}

const char *
hazard_find(enum hazard_kind kind, const char *cmd, const char **start,
	    const char **end)
{
	regmatch_t m;
	const struct hazard_rule *r = find_rule(kind, cmd, &m);
	const char *s, *e;

	if (!r && kind == HAZARD_INTERACTIVE && terraform_prompts(cmd)) {
		r = find_rule(HAZARD_DESTRUCTIVE, cmd, &m);
		if (start)
			whole_words(cmd, m.rm_so, m.rm_eo, start, end);
		return "terraform without -auto-approve";
	}
	if (!r)
		return NULL;
	whole_words(cmd, m.rm_so, m.rm_eo, &s, &e);
	if (start)
		*start = s;
	if (end)
		*end = e;
	return r->name;
}

char *
hazard_confirm_dup(const char *cmd)
{
	const char *s, *e;

	if (!hazard_find(HAZARD_DESTRUCTIVE, cmd, &s, &e))
		return NULL;
	return e > s ? xstrndup(s, (size_t)(e - s)) : xstrdup("destroy");
}

int
hazard_where_name(const char *name)
{
	static const char *const whole[] = { "NAMESPACE", "NS", "CONTEXT",
		"KUBE_CONTEXT", "KUBECONFIG", "CLUSTER", "REGION", "ZONE",
		"PROJECT", "PROFILE", "ACCOUNT", "ENV", "ENVIRONMENT", "STAGE",
		"HOST", "URL", "URI", "DSN", "CONNECTION_STRING", "CONN_STR",
		"DB_URL", "DATABASE_URL", "ENDPOINT", NULL };
	static const char *const ends[] = { "_NAMESPACE", "_NS", "_CONTEXT",
		"_CLUSTER", "_REGION", "_ZONE", "_PROJECT", "_PROFILE",
		"_ACCOUNT", "_ENV", "_HOST", "_URL", "_URI", "_DSN",
		"_CONNECTION_STRING", "_CONN_STR", "_ENDPOINT", NULL };
	size_t n = strlen(name);

	for (size_t i = 0; whole[i]; i++)
		if (strcmp(name, whole[i]) == 0)
			return 1;
	for (size_t i = 0; ends[i]; i++) {
		size_t k = strlen(ends[i]);

		if (n > k && strcmp(name + n - k, ends[i]) == 0)
			return 1;
	}
	return 0;
}

int
hazard_ticket_name(const char *name)
{
	static const char *const parts[] = { "INCIDENT", "TICKET", "JIRA",
		"ISSUE", "CHANGE_ID", "CHANGE_REQUEST", "REASON", "MESSAGE",
		"COMMENT", "AUTHOR", "EMAIL", "OPERATOR", NULL };

	for (size_t i = 0; parts[i]; i++)
		if (strstr(name, parts[i]))
			return 1;
	return 0;
}

/* S at "sleep N[smh]": the time slept in seconds. */
static int64_t
sleep_seconds(const char *s)
{
	const char *p = s + strlen("sleep");
	int64_t n = 0;

	p += strspn(p, " \t");
	while (isdigit((unsigned char)*p) && n < 86400)
		n = n * 10 + (*p++ - '0');
	if (*p == 'm')
		n *= 60;
	else if (*p == 'h')
		n *= 3600;
	return n;
}

int64_t
hazard_timeout_us(const char *cmd)
{
	regmatch_t m;
	const struct hazard_rule *r = find_rule(HAZARD_WAITS, cmd, &m);
	int64_t total = 0;

	if (!r)
		return 0;
	if (r->timeout_us)
		return r->timeout_us;
	/* Every sleep of a script adds up; the margin covers the rest. */
	for (const char *p = cmd; (p = strstr(p, "sleep ")); p += 6)
		total += sleep_seconds(p);
	return SEC(total + 60);
}

/* Whether the word of RUN at P starts a simple command: the
 * command's name, which says nothing about what it acts on. */
static int
is_command_name(const char *run, const char *p)
{
	static const char *const prefixes[] = { "sudo ", "env ", "time ",
		"nohup ", "exec ", "command ", "xargs ", NULL };

	while (p > run && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p == run || strchr(";&|\n(`!{", p[-1]))
		return 1;
	for (size_t i = 0; prefixes[i]; i++) {
		size_t k = strlen(prefixes[i]);

		if ((size_t)(p - run) >= k && strncmp(p - k, prefixes[i], k) == 0 &&
		    (p - k == run || strchr(" \t;&|\n(", p[-k - 1])))
			return 1;
	}
	return 0;
}

/* Whether the word of RUN at P (N bytes) is the subcommand that follows
 * a command's name ("init" of "terraform init"): a verb, not a target. */
static int
is_subcommand(const char *run, const char *p, size_t n)
{
	const char *q = p;

	if (strspn(p, "abcdefghijklmnopqrstuvwxyz-") < n)
		return 0;
	while (q > run && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (q == p || q == run)
		return 0;
	while (q > run && !isspace((unsigned char)q[-1]) &&
	       !strchr(";&|(`", q[-1]))
		q--;
	return *q != '-' && is_command_name(run, q);
}

/* Whether option word W (N bytes) carries a value that names something
 * ("-configFiles=conf/billing.conf"), not a count or a switch. */
static int
option_names_value(const char *w, size_t n)
{
	const char *eq = memchr(w, '=', n);
	int letter = 0;

	if (!eq || w + n - eq - 1 < 2)
		return 0;
	for (const char *q = eq + 1; q < w + n; q++)
		letter |= isalpha((unsigned char)*q) != 0;
	return letter;
}

/* Whether the word of CONFIRM at W (N bytes) is a word of RUN's
 * arguments: found in RUN where no command's name, option nor word of
 * the rule RULE (the verbs that make RUN destructive) is. */
static int
is_argument_word(const char *run, const char *rule, const char *w, size_t n)
{
	for (const char *p = run; *p; p++) {
		const char *b;

		if (strncmp(p, w, n) != 0)
			continue;
		for (b = p; b > run && !isspace((unsigned char)b[-1]); b--)
			;
		if (*b == '-' && b == p && !option_names_value(p, n))
			continue;	/* an option */
		if (b == p && (is_command_name(run, p) ||
			       is_subcommand(run, p, n)))
			continue;
		if (rule) {
			const char *r = rule;
			int verb = 0;

			while (*r && !verb) {
				size_t k = strcspn(r, " /");

				verb = k == n && strncmp(r, w, n) == 0;
				r += k;
				r += strspn(r, " /");
			}
			if (verb)
				continue;
		}
		return 1;
	}
	return 0;
}

int
hazard_confirm_names_target(const char *run, const char *confirm)
{
	const char *rule = hazard_find(HAZARD_DESTRUCTIVE, run, NULL, NULL);

	if (!confirm || strstr(confirm, "${"))
		return 1;
	for (const char *p = confirm; *p; ) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n >= 2 && is_argument_word(run, rule, p, n))
			return 1;
		p += n;
	}
	return 0;
}

/* Whether WORD (N bytes) is the command word of a simple command of CMD:
 * at a line's start or after ; | & ( or "sudo ", "env ", "exec ". */
static int
runs_word(const char *cmd, const char *word, size_t n)
{
	for (const char *p = strstr(cmd, word); p; p = strstr(p + 1, word)) {
		const char *b = p;

		if (p[n] && !strchr(" \t\n;|&)", p[n]))
			continue;
		while (b > cmd && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b == cmd || strchr("\n;|&(", b[-1]))
			return 1;
		for (const char *const *pre = (const char *const[]){ "sudo",
			"env", "exec", "time", NULL }; *pre; pre++) {
			size_t k = strlen(*pre);

			if ((size_t)(b - cmd) >= k && strncmp(b - k, *pre, k) == 0 &&
			    (b - k == cmd || strchr(" \t\n;|&(", b[-k - 1])))
				return 1;
		}
	}
	return 0;
}

int
hazard_reads_env(const char *cmd, const char *name)
{
	static const struct {
		const char *prefix;	/* a name, or a prefix ending in _ */
		const char *tools[8];
	} readers[] = {
		{ "PG", { "psql", "pg_dump", "pg_restore", "pg_dumpall",
			  "createdb", "dropdb", "pgbench", NULL } },
		{ "DATABASE_URL", { "psql", NULL } },
		{ "TF_", { "terraform", "terragrunt", "tofu", NULL } },
		{ "KUBECONFIG", { "kubectl", "helm", "kustomize", "oc", NULL } },
		{ "HELM_", { "helm", NULL } },
		{ "AWS_", { "aws", "terraform", "eksctl", NULL } },
		{ "VAULT_", { "vault", NULL } },
		{ "NOMAD_", { "nomad", NULL } },
		{ "CONSUL_", { "consul", NULL } },
		{ "DOCKER_", { "docker", NULL } },
		{ "CLOUDSDK_", { "gcloud", "gsutil", NULL } },
		{ "GOOGLE_", { "gcloud", "gsutil", "terraform", NULL } },
		{ "AZURE_", { "az", "terraform", NULL } },
		{ "ARM_", { "terraform", NULL } },
		{ "MYSQL_", { "mysql", "mysqldump", NULL } },
		{ "REDISCLI_", { "redis-cli", NULL } },
		{ "NPM_", { "npm", NULL } },
		{ "GIT_", { "git", NULL } },
	};
	static const char *const project[] = { "make", "rake", "bundle",
		"npm run", "yarn", "npx", NULL };
	size_t n = strlen(name);
	char *ref = xasprintf("${%s}", name);
	int hit = strstr(cmd, ref) != NULL;

	free(ref);
	for (const char *p = strchr(cmd, '$'); p && !hit; p = strchr(p + 1, '$'))
		hit = strncmp(p + 1, name, n) == 0 &&
		      !(isalnum((unsigned char)p[1 + n]) || p[1 + n] == '_');
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]) && !hit;
	     i++) {
		size_t k = strlen(readers[i].prefix);

		if (readers[i].prefix[k - 1] == '_' || k == 2
		    ? strncmp(name, readers[i].prefix, k) != 0
		    : strcmp(name, readers[i].prefix) != 0)
			continue;
		for (size_t t = 0; readers[i].tools[t] && !hit; t++)
			hit = runs_word(cmd, readers[i].tools[t],
					strlen(readers[i].tools[t]));
	}
	for (size_t t = 0; project[t] && !hit; t++)
		hit = runs_word(cmd, project[t], strlen(project[t]));
	/* a program run by its path: ./bin/migrate, scripts/roll.sh */
	for (const char *p = cmd; *p && !hit; p += strcspn(p, "\n") +
	     (p[strcspn(p, "\n")] == '\n')) {
		const char *w = p + strspn(p, " \t");
		size_t len = strcspn(w, " \t\n;|&");

		hit = len > 1 && memchr(w, '/', len) && *w != '$' &&
		      strncmp(w, "/usr/", 5) != 0 && strncmp(w, "/bin/", 5) != 0;
	}
	return hit;
}
