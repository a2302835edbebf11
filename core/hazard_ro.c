/* Commands known to only read: the allow-list that says what may run
 * before an approval. A command or script is read-only when every simple
 * command of it (split at ; & | newlines, subshells and command
 * substitutions) has a read-only shape: a tool that only reads
 * (cat, grep, jq, dig), or a read-only subcommand of a tool that can also
 * change things (kubectl get, helm history, aws ... describe-*, curl
 * without a method or a body). Anything else may change something. */
#include "config.h"
#include "hazard.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xalloc.h"

struct words;

struct ro_rule {
	const char *names;	/* ERE over the command's base name */
	const char *verbs;	/* ERE over its words that are not options, or
				 * NULL for any */
	const char *forbid;	/* ERE over its whole text that makes it not
				 * read-only, or NULL */
	int icase;		/* verbs in either case (redis) */
	/* or a check of the command's words from after its name */
	int (*reads)(const struct words *ws, size_t from);
};

static int curl_reads(const struct words *ws, size_t from);
static char *blank_heredocs(const char *cmd);
static int tee_reads(const struct words *ws, size_t from);
static int kill_probes(const struct words *ws, size_t from);
static int sql_reads(const struct words *ws, size_t from);

#define W "( |$)"

static const struct ro_rule ro_rules[] = {
	/* tools that only read, and shell words that change nothing shared */
	{ "cat|tac|grep|egrep|fgrep|rg|zgrep|zcat|head|tail|less|more|ls|ll|"
	  "echo|printf|jq|yq|gojq|wc|sort|uniq|cut|tr|column|awk|gawk|nl|diff|"
	  "cmp|comm|date|pwd|cd|pushd|popd|test|\\[|\\[\\[|true|false|:|sleep|"
	  "dig|nslookup|host|ping|whoami|id|hostname|uname|printenv|which|type|"
	  "stat|file|du|df|ps|pgrep|free|uptime|vmstat|iostat|sha256sum|"
	  "sha1sum|sha512sum|md5sum|shasum|base64|basename|dirname|realpath|"
	  "readlink|seq|export|set|unset|local|readonly|declare|shift|exit|"
	  "return|traceroute|tracepath|netstat|ss|lsof|openssl|mkdir|"
	  "journalctl|getent|man|wait|trap|read|stern|pg_dump|pg_dumpall|"
	  "mysqldump|mariadb-dump|mongodump|mongoexport|pg_isready|xmllint|"
	  "fold|fmt|paste|join|expand|rev|"
	  "strings|hexdump|xxd|od|time|history|command|type",
	  NULL, NULL, 0, NULL },
	{ "tee", NULL, NULL, 0, tee_reads },
	{ "sed", NULL, "(^| )(-i|--in-place)|(^| )-[a-zA-Z]*i", 0, NULL },
	{ "find", NULL, "(^| )-(delete|exec|execdir|ok|okdir|fprint[f0]?)"
	  "( |$)", 0, NULL },
	{ "curl", NULL, NULL, 0, curl_reads },
	{ "wget", NULL, "--(post|body)-(data|file)|--method", 0, NULL },
	{ "http|https|xh", "^(GET|HEAD|get|head)" W "|^[^ ]+$", NULL, 0, NULL },
	{ "git", "^(log|show|status|diff|describe|rev-parse|rev-list|ls-remote|"
	  "ls-files|ls-tree|fetch|clone|blame|shortlog|cat-file|reflog|"
	  "for-each-ref|grep|name-rev|merge-base|cherry|show-ref|verify-tag|"
	  "verify-commit|version|branch|tag|remote$|remote (show|get-url))" W,
	  "(^| )(-d|-D|-m|-M|-f|--delete|--force|-s|--sign|--move|"
	  "--annotate|--set-upstream-to|-u)( |$)|^(branch|tag) [^-]", 0, NULL },
	{ "flyway", "^(info|validate|version)" W, NULL, 0, NULL },
	{ "kill", NULL, NULL, 0, kill_probes },
	{ "ssh|mosh", "^[^ ]+$", NULL, 0, NULL },	/* a login, no command */
	{ "kubectl|oc", "^(get|describe|logs|top|explain|api-resources|"
	  "api-versions|version|cluster-info|diff|events|wait|port-forward|"
	  "auth can-i|config (view|get-contexts|current-context|get-clusters)|"
	  "rollout (status|history)|argo rollouts (get|status|list|version))"
	  W, NULL, 0, NULL },
	{ "kubectl-argo-rollouts", "^(get|status|list|version)" W, NULL, 0, NULL },
	{ "helm", "^(list|ls|history|hist|status|get|show|inspect|template|"
	  "search|version|diff|lint|env|repo (list|ls|update|add)|"
	  "dependency (list|ls)|plugin list)" W, NULL, 0, NULL },
	{ "argocd", "^(app (get|list|history|diff|manifests|resources|wait|"
	  "logs)|version|context|cluster list|proj (list|get)|repo list)" W,
	  NULL, 0, NULL },
	{ "flux", "^(get|logs|stats|check|version|tree|events|export)" W, NULL,
	  0, NULL },
	{ "npm|pnpm|yarn", "^(view|v|info|show|dist-tag (ls|list)|"
	  "dist-tags (ls|list)|ls|list|ll|la|outdated|whoami|ping|search|"
	  "config (get|list|ls)|audit|explain|why|doctor|npm info)" W,
	  "(^| )audit fix", 0, NULL },
	{ "pip|pip3", "^(index|show|list|freeze|download|check|inspect|"
	  "config list)" W "|^install .*--dry-run", NULL, 0, NULL },
	{ "python|python3", "^pip (index|show|list|freeze|download|check)" W,
	  NULL, 0, NULL },
	{ "cargo", "^(search|info|tree|metadata|version)" W, NULL, 0, NULL },
	{ "gem", "^(list|search|info|specification|query|contents|which)" W,
	  NULL, 0, NULL },
	{ "twine", "^check" W, NULL, 0, NULL },
	{ "aws", "^[a-z0-9-]+ (describe-[a-z0-9-]*|list-[a-z0-9-]*|"
	  "get-[a-z0-9-]*|batch-get-[a-z0-9-]*|search-[a-z0-9-]*|"
	  "lookup-events|filter-log-events|tail|ls|wait [a-z0-9-]+|"
	  "head-object|head-bucket)" W "|^configure (list|get)" W, NULL, 0, NULL },
	{ "gcloud", "^([a-z0-9-]+ )*(list|describe|read|get-value|"
	  "get-iam-policy|info|version)" W, NULL, 0, NULL },
	{ "az", "^([a-z0-9-]+ )*(list|show|version)" W, NULL, 0, NULL },
	{ "terraform|tofu|terragrunt", "^(plan|show|output|validate|version|"
	  "providers|graph|state (list|show|pull)|"
	  "workspace (list|show))" W, NULL, 0, NULL },
	{ "docker|podman", "^(ps|images|logs|inspect|pull|version|info|stats|"
	  "top|port|history|search|manifest inspect|image (ls|list|inspect|"
	  "history)|container (ls|list|inspect|logs)|compose (ps|logs|config|"
	  "images))" W, NULL, 0, NULL },
	{ "docker-compose|podman-compose", "^(ps|logs|config|images|top)" W,
	  NULL, 0, NULL },
	{ "systemctl", "^(status|is-active|is-enabled|is-failed|show|"
	  "list-units|list-timers|cat)" W, NULL, 0, NULL },
	{ "service", "^[^ ]+ status$", NULL, 0, NULL },
	{ "redis-cli", "^(get|mget|info|ping|ttl|pttl|exists|keys|scan|type|"
	  "llen|lrange|hget|hgetall|smembers|scard|zrange|zcard|dbsize|"
	  "config get|client list|slowlog get|strlen)" W, NULL, 1, NULL },
	{ "psql|mysql|mariadb|sqlite3|mongosh|cqlsh", NULL, NULL, 0,
	  sql_reads },
	{ "gh", "^(release (list|view|download)|run (list|view|watch)|"
	  "pr (list|view|status|checks|diff)|issue (list|view)|repo view|"
	  "auth status|api)" W, "(^| )(-X|--method)[ =]*['\"]?(POST|PUT|PATCH|"
	  "DELETE|post|put|patch|delete)|(^| )(-f|-F|--field|--raw-field|"
	  "--input)( |=|$)", 0, NULL },
	{ "vault", "^(read|kv get|kv list|list|status|token lookup|version)"
	  W, NULL, 0, NULL },
};

#define N_RO (sizeof(ro_rules) / sizeof(ro_rules[0]))

/* Options that take the next word as their value, wherever they are:
 * the word after them is not a subcommand. */
static const char *const value_opts[] = {
	"-n", "--namespace", "--context", "--kube-context", "--kubeconfig",
	"--cluster", "-C", "-c", "--region", "--profile", "--output", "-o",
	"--project", "--git-dir", "--work-tree", "-H", "--host", "--server",
	"-s", "--user", "--config", "--subscription", "-g",
	"--resource-group", "-h", "-p", "-a", "-u", "-U", "-d", "--dbname",
	"--query", "--filter", "--format", "-l", "--selector", "-e",
	"--max", "--tail", "--since", "-f", "--file", "-i", NULL,
};

/* Words that come before a command and leave it the command. */
static const char *const prefix_words[] = {
	"sudo", "env", "time", "timeout", "watch", "nice", "nohup", "exec",
	"xargs", "if", "then", "elif", "else", "do", "while", "until", "!",
	"{", "}", NULL,
};

/* Words that start no command at all ("for x in ...", "fi"). */
static const char *const no_command_words[] = {
	"for", "case", "select", "in", "fi", "done", "esac", ";;", "}", NULL,
};

/* The one word after any command that only asks what it is. */
static const char *const version_words[] = {
	"--version", "-V", "--help", "-h", NULL,
};

static regex_t ro_names[N_RO], ro_verbs[N_RO], ro_forbid[N_RO];
static int ro_compiled;

static void
compile_ro(void)
{
	for (size_t i = 0; i < N_RO; i++) {
		char *names = xasprintf("^(%s)$", ro_rules[i].names);
		int flags = REG_EXTENDED | REG_NOSUB;

		if (regcomp(&ro_names[i], names, flags) ||
		    (ro_rules[i].verbs &&
		     regcomp(&ro_verbs[i], ro_rules[i].verbs, flags |
			     (ro_rules[i].icase ? REG_ICASE : 0))) ||
		    (ro_rules[i].forbid &&
		     regcomp(&ro_forbid[i], ro_rules[i].forbid, flags)))
			BUG("bad read-only pattern");
		free(names);
	}
	ro_compiled = 1;
}

static int
in_words(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

/* The words of one simple command, quotes taken off. */
struct words {
	char **w;
	size_t n;
};

static void
words_add(struct words *ws, struct strbuf *cur)
{
	ws->w = xrealloc(ws->w, (ws->n + 1) * sizeof(*ws->w));
	ws->w[ws->n++] = strbuf_detach(cur);
}

static void
words_split(const char *s, size_t len, struct words *ws)
{
	struct strbuf cur = STRBUF_INIT;
	char q = 0;
	int any = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (q) {
			if (c == q)
				q = 0;
			else
				strbuf_addc(&cur, c);
			continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
			any = 1;
		} else if (c == '#' && !any) {
			break;	/* a comment to the end of the line */
		} else if (isspace((unsigned char)c)) {
			if (any)
				words_add(ws, &cur);
			any = 0;
		} else {
			if (c == '\\' && i + 1 < len)
				c = s[++i];
			strbuf_addc(&cur, c);
			any = 1;
		}
	}
	if (any)
		words_add(ws, &cur);
	strbuf_done(&cur);
}

static void
words_done(struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
}

static int
is_assignment(const char *w)
{
	size_t n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
			  "vwxyz0123456789_");

	return n && !isdigit((unsigned char)*w) &&
	       (w[n] == '=' || (w[n] == '+' && w[n + 1] == '='));
}

static int
is_redirection(const char *w, int *takes_next)
{
	const char *p = w + strspn(w, "0123456789&");

	if (*p != '>' && *p != '<')
		return 0;
	p += strspn(p, "<>&|-");
	*takes_next = !*p;
	return 1;
}

/* A query a database client runs that only reads. */
static int
sql_reads(const struct words *ws, size_t from)
{
	static const char *const reads[] = { "select", "show", "explain",
		"\\d", "\\l", "\\dt", "table", "with", "describe", "desc",
		"db.", NULL };

	for (size_t i = from; i + 1 < ws->n; i++) {
		const char *q;

		if (strcmp(ws->w[i], "-c") != 0 && strcmp(ws->w[i], "-e") != 0 &&
		    strcmp(ws->w[i], "--command") != 0 &&
		    strcmp(ws->w[i], "--execute") != 0 &&
		    strcmp(ws->w[i], "--eval") != 0)
			continue;
		q = ws->w[i + 1] + strspn(ws->w[i + 1], " \t(");
		if (hazard_find(HAZARD_DESTRUCTIVE, q, NULL, NULL) ||
		    strcasestr(q, "insert ") || strcasestr(q, "update ") ||
		    strcasestr(q, "create ") || strcasestr(q, "grant ") ||
		    strcasestr(q, "drop") || strcasestr(q, ".delete") ||
		    strcasestr(q, ".update") || strcasestr(q, ".insert"))
			return 0;
		for (size_t k = 0; reads[k]; k++)
			if (strncasecmp(q, reads[k], strlen(reads[k])) == 0)
				return 1;
		return 0;
	}
	return 0;
}

/* A curl that only asks: no method but GET or HEAD, no body, no upload. */
static int
curl_reads(const struct words *ws, size_t from)
{
	static const char *const body[] = { "-d", "-F", "-T", "--data",
		"--data-raw", "--data-binary", "--data-urlencode", "--form",
		"--form-string", "--upload-file", "--json", NULL };

	for (size_t i = from; i < ws->n; i++) {
		const char *w = ws->w[i], *m = NULL;
		size_t n = strcspn(w, "=");

		if (*w != '-')
			continue;
		for (size_t k = 0; body[k]; k++)
			if (strlen(body[k]) == n && strncmp(w, body[k], n) == 0)
				return 0;
		if (w[1] != '-' && strpbrk(w + 1, "dFT") &&
		    strcspn(w + 1, "dFT") == strlen(w + 1) - 1)
			return 0;	/* -sd, -fT: a body or an upload */
		if (strncmp(w, "--request", 9) == 0)
			m = w[9] == '=' ? w + 10 : i + 1 < ws->n ? ws->w[i + 1]
								 : "";
		else if (w[1] != '-' && strchr(w, 'X'))
			m = strchr(w, 'X')[1] ? strchr(w, 'X') + 1
			    : i + 1 < ws->n ? ws->w[i + 1] : "";
		if (m && strcasecmp(m, "GET") != 0 && strcasecmp(m, "HEAD") != 0)
			return 0;
	}
	return 1;
}

/* Whether PATH is a file a write to changes nothing: the null device,
 * the standard streams. */
static int
is_sink(const char *path)
{
	static const char *const sinks[] = { "/dev/null", "/dev/stdout",
		"/dev/stderr", "/dev/tty", NULL };

	return in_words(path, sinks) || strncmp(path, "/dev/fd/", 8) == 0;
}

/* "tee" only passes its input on when it names no file but a sink. */
static int
tee_reads(const struct words *ws, size_t from)
{
	for (size_t i = from; i < ws->n; i++) {
		int next;

		if (is_redirection(ws->w[i], &next)) {
			i += next;
			continue;
		}
		if (*ws->w[i] != '-' && !is_sink(ws->w[i]))
			return 0;
	}
	return 1;
}

/* The file the command text S (LEN bytes) first sends output into: a
 * ">", ">>", ">|" or "&>" outside quotes whose target is not a sink nor
 * another descriptor (">&2", "2>&1"), into TARGET. Inside [[ ]] and (( ))
 * a ">" compares. Returns whether there is one. */
static int
redirect_target(const char *s, size_t len, struct strbuf *target)
{
	char q = 0;

	for (size_t i = 0; i < len; i++) {
		if (q) {
			q = s[i] == q ? 0 : q;
			continue;
		}
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '\'' || s[i] == '"') {
			q = s[i];
			continue;
		}
		if ((s[i] == '[' && i + 1 < len && s[i + 1] == '[') ||
		    (s[i] == '(' && i + 1 < len && s[i + 1] == '('))
			return 0;	/* a test or arithmetic: ">" compares */
		if (s[i] != '>')
			continue;
		i++;
		if (i < len && (s[i] == '>' || s[i] == '|'))
			i++;
		if (i < len && (s[i] == '&' || s[i] == '('))
			continue;	/* >&2, >(cmd): no file */
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		strbuf_reset(target);
		while (i < len && !strchr(" \t;&|<>()\n", s[i])) {
			if (s[i] != '\'' && s[i] != '"')
				strbuf_addc(target, s[i]);
			i++;
		}
		if (!target->len || !is_sink(strbuf_str(target)))
			return 1;
		i--;
	}
	return 0;
}

static int
writes_a_file(const char *s, size_t len)
{
	struct strbuf target = STRBUF_INIT;
	int writes = redirect_target(s, len, &target);

	strbuf_done(&target);
	return writes;
}

char *
hazard_file_written(const char *cmd)
{
	struct strbuf target = STRBUF_INIT;
	char *text = blank_heredocs(cmd);
	int writes = redirect_target(text, strlen(text), &target);

	free(text);
	if (writes && target.len)
		return strbuf_detach(&target);
	strbuf_done(&target);
	return NULL;
}

/* "kill -0 PID" only asks whether the process lives. */
static int
kill_probes(const struct words *ws, size_t from)
{
	return from < ws->n && strcmp(ws->w[from], "-0") == 0;
}

/* Skip prefix words and their own options: "sudo -u app", "timeout 30",
 * "watch -n 5", "env A=b", "xargs -I{}". */
static size_t
skip_prefixes(const struct words *ws, size_t i)
{
	while (i < ws->n) {
		const char *w = ws->w[i];

		if (is_assignment(w) || !*w) {	/* or what quotes left */
			i++;
			continue;
		}
		if (!in_words(w, prefix_words))
			break;
		i++;
		if (strcmp(w, "timeout") == 0 && i < ws->n && *ws->w[i] != '-')
			i++;
		while (i < ws->n && *ws->w[i] == '-' && strcmp(w, "if") != 0) {
			int val = strchr("nuIPLdgs", ws->w[i][1]) &&
				  ws->w[i][1] && !ws->w[i][2];

			i += 1 + (val && i + 1 < ws->n);
		}
	}
	return i;
}

/* The words of WS after the command at I that are not options nor an
 * option's value nor a redirection, joined by blanks. */
static char *
verbs_of(const struct words *ws, size_t i)
{
	struct strbuf sb = STRBUF_INIT;

	for (i++; i < ws->n; i++) {
		const char *w = ws->w[i];
		int next;

		if (is_redirection(w, &next)) {
			i += next;
			continue;
		}
		if (*w == '-' && w[1]) {
			if (!strchr(w, '=') && in_words(w, value_opts))
				i++;
			continue;
		}
		strbuf_addf(&sb, "%s%s", sb.len ? " " : "", w);
	}
	return strbuf_detach(&sb);
}

static char *
joined(const struct words *ws, size_t i)
{
	struct strbuf sb = STRBUF_INIT;

	for (; i < ws->n; i++)
		strbuf_addf(&sb, "%s%s", sb.len ? " " : "", ws->w[i]);
	return strbuf_detach(&sb);
}

/* Tools that write a database's dump: to stdout, or to a file of an
 * option's ("pg_dump -f FILE", "mysqldump --result-file=FILE"). */
static const char *const dump_tools[] = {
	"pg_dump", "pg_dumpall", "mysqldump", "mariadb-dump", "mongodump",
	"mongoexport", NULL,
};

/* Filters a dump is piped through on its way into its file. */
static const char *const dump_filters[] = {
	"gzip", "pigz", "bzip2", "xz", "zstd", "lz4", NULL,
};

/* The simple command S (LEN bytes) is a dump tool (DUMP_TOOL), a
 * compressor (DUMP_FILTER) or anything else (0). */
enum { DUMP_TOOL = 1, DUMP_FILTER };

static int
dump_role(const char *s, size_t len)
{
	struct words ws = { 0 };
	size_t i;
	const char *name;
	int role = 0;

	words_split(s, len, &ws);
	i = skip_prefixes(&ws, 0);
	if (i < ws.n) {
		name = strrchr(ws.w[i], '/');
		name = name ? name + 1 : ws.w[i];
		role = in_words(name, dump_tools) ? DUMP_TOOL
		     : in_words(name, dump_filters) ? DUMP_FILTER : 0;
	}
	words_done(&ws);
	return role;
}

/* Whether the simple command S (LEN bytes) only reads. A dump's output
 * sent into a file (AS_BACKUP: "pg_dump db > db.sql", "... | gzip >
 * db.gz") is the backup "pg_dump -f db.sql" makes, not a change. */
static int
simple_reads(const char *s, size_t len, int as_backup)
{
	struct words ws = { 0 };
	size_t i;
	int ok = 0;

	if (as_backup)
		return 1;
	if (writes_a_file(s, len))
		return 0;
	words_split(s, len, &ws);
	i = skip_prefixes(&ws, 0);
	if (i >= ws.n || in_words(ws.w[i], no_command_words) ||
	    (i + 2 == ws.n && in_words(ws.w[i + 1], version_words))) {
		ok = 1;	/* or "pip --version": any tool asked what it is */
	} else {
		const char *name = strrchr(ws.w[i], '/');

		name = name ? name + 1 : ws.w[i];
		for (size_t r = 0; r < N_RO && !ok; r++) {
			char *verbs, *all;

			if (regexec(&ro_names[r], name, 0, NULL, 0))
				continue;
			if (ro_rules[r].reads) {
				ok = ro_rules[r].reads(&ws, i + 1);
				break;
			}
			verbs = verbs_of(&ws, i);
			all = joined(&ws, i + 1);
			ok = (!ro_rules[r].verbs ||
			      !regexec(&ro_verbs[r], verbs, 0, NULL, 0)) &&
			     (!ro_rules[r].forbid ||
			      regexec(&ro_forbid[r], all, 0, NULL, 0));
			free(verbs);
			free(all);
		}
	}
	words_done(&ws);
	return ok;
}

/* A walk over the simple commands of a command text, cut at ; & | and
 * newlines, at ( ) and at command substitutions, outside quotes: the
 * first one not known to only read is kept. */
struct cut {
	const char *cmd;
	const char *start;
	const char *bad;	/* the first simple command not read-only */
	size_t bad_len;
	int dumping;		/* a dump tool's output is piped in */
};

static void
cut_at(struct cut *c, const char *p)
{
	size_t len = p > c->start ? (size_t)(p - c->start) : 0;
	int role = len ? dump_role(c->start, len) : 0;
	int backup = role == DUMP_TOOL || (role == DUMP_FILTER && c->dumping);

	if (!c->bad && len && !simple_reads(c->start, len, backup)) {
		c->bad = c->start;
		c->bad_len = len;
	}
	c->dumping = *p == '|' && backup;
	c->start = p + 1;
}

/* CMD with the bodies of its here-documents blanked (they are data, not
 * commands); the line that opens one is kept whole. Caller frees. */
static char *
blank_heredocs(const char *cmd)
{
	char *out = xstrdup(cmd), *p = out;

	while ((p = strstr(p, "<<"))) {
		char word[64];
		size_t n;
		char *line;

		if (p[2] == '<') {	/* a here-string */
			p += 3;
			continue;
		}
		p += 2;
		p += *p == '-';
		p += strspn(p, " \t'\"");
		n = strcspn(p, " \t'\";&|<>)\n");
		if (!n || n >= sizeof(word) || !(line = strchr(p, '\n')))
			continue;
		memcpy(word, p, n);
		word[n] = '\0';
		for (line++; *line; ) {
			char *t = line + strspn(line, " \t");
			size_t len = strcspn(t, "\n");
			int last = len == n && strncmp(t, word, n) == 0;

			for (char *q = line; q < t + len; q++)
				*q = ' ';
			line = t + len + (t[len] == '\n');
			if (last)
				break;
		}
		p = line;
	}
	return out;
}

/* The & or | at P is part of a redirection (">&2", "2>&1", "&>f",
 * ">|f"), not a command's end. */
static int
is_redirect_part(const char *text, const char *p)
{
	if (*p == '&')
		return (p > text && p[-1] == '>') || p[1] == '>';
	return *p == '|' && p > text && p[-1] == '>';
}

int
hazard_read_only(const char *cmd, char **what)
{
	char *text;
	struct cut c;
	int dq[32] = { 0 }, depth = 0, in_dq = 0;
	const char *p, *outer[32], *dollar[32];

	if (what)
		*what = NULL;
	if (!ro_compiled)
		compile_ro();
	text = blank_heredocs(cmd);
	c = (struct cut){ text, text, NULL, 0, 0 };
	if (hazard_find(HAZARD_DESTRUCTIVE, cmd, NULL, NULL)) {
		c.bad = text;
		c.bad_len = strcspn(text, "\n");
	}
	for (p = text; *p && !c.bad; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '\'' && !in_dq) {
			const char *q = strchr(p + 1, '\'');

			p = q ? q : p + strlen(p) - 1;
		} else if (*p == '"') {
			in_dq = !in_dq;
		} else if (*p == '$' && p[1] == '(' && p[2] == '(') {
			const char *q = strstr(p, "))");

			p = q ? q + 1 : p + strlen(p) - 1;
		} else if (*p == '$' && p[1] == '(' && depth < 32) {
			/* the substitution is a command of its own; the one
			 * around it resumes after it */
			outer[depth] = c.start;
			dollar[depth] = p;
			dq[depth++] = in_dq;
			c.start = p + 2;
			in_dq = 0;
			p++;
		} else if (*p == '`') {
			cut_at(&c, p);
		} else if (!in_dq && *p == ')' && depth) {
			cut_at(&c, p);
			in_dq = dq[--depth];
			memset(text + (dollar[depth] - text), '_',
			       (size_t)(p - dollar[depth]) + 1);
			c.start = outer[depth];
		} else if (!in_dq && strchr(";&|\n()", *p) &&
			   !is_redirect_part(text, p)) {
			cut_at(&c, p);
		}
	}
	if (!c.bad)
		cut_at(&c, p);
	if (c.bad && what) {	/* as written, substitutions and all */
		const char *b = cmd + (c.bad - text);
		const char *s = b + strspn(b, " \t\n");
		const char *e = b + c.bad_len;

		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		*what = xstrndup(s, e > s ? (size_t)(e - s) : 0);
	}
	free(text);
	return !c.bad;
}
