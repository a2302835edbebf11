/* Hazard rules (core/hazard): the commands the issue names are
 * destructive, interactive or waiting; a confirmation is whole words; and
 * import and lint agree, because both read the same rules. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "hazard.h"
#include "lint.h"
#include "mdimport.h"
#include "playbook.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *const destructive_cmds[] = {
	"kubectl rollout undo deployment/web -n prod",
	"oc rollout undo dc/web",
	"kubectl -n prod set image deployment/web web=web:1.2.2",
	"kubectl patch deployment web -p '{\"spec\":{}}'",
	"kubectl apply -f web.yaml",
	"kubectl delete pod web-0",
	"kubectl scale deployment web --replicas=0",
	"helm rollback web 41 -n prod",
	"helm uninstall web",
	"argocd app rollback web 12",
	"argocd app sync web --revision v1.2.2",
	"terraform apply -auto-approve",
	"terraform destroy -target=aws_instance.web",
	"terraform force-unlock 1234",
	"terraform state rm aws_instance.web",
	"terraform state push backup.tfstate",
	"git push --force origin main",
	"git push --force-with-lease origin main",
	"git reset --hard v1.2.2",
	"git push origin :refs/tags/v1.2.3",
	"npm dist-tag add web@1.2.2 latest",
	"npm dist-tag rm web next",
	"npm unpublish web@1.2.3",
	"npm deprecate web@1.2.3 \"broken\"",
	"pg_restore --clean -d app dump.sql",
	"psql -c \"DROP TABLE sessions\"",
	"psql app -c 'truncate table jobs'",
	"mysql -e \"DELETE FROM users WHERE id > 10\"",
	"flyway undo",
	"rm -rf /srv/app/releases/current",
	"aws s3 rm s3://bucket/releases/1.2.3 --recursive",
	"aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier app",
	"gcloud sql backups restore 12 --restore-instance=app",
	"docker compose up -d wiki",
	"make -C services/cart deploy ENV=production",
	"redis-cli -h cache flushdb",
	/* migrations run down, HTTP deletes, SQL files, find -delete */
	"bin/rails db:migrate:down VERSION=20261101000000",
	"bundle exec rake db:rollback STEP=1",
	"goose -dir db/migrations postgres \"$DSN\" down",
	"migrate -path db/migrations -database \"$DATABASE_URL\" down 1",
	"npx knex migrate:down",
	"npx sequelize-cli db:migrate:undo",
	"dbmate rollback",
	"curl -X DELETE https://api.example.test/v1/releases/42",
	"curl -fsS --request DELETE https://api.example.test/v1/releases/42",
	"curl -XDELETE https://api.example.test/v1/releases/42",
	"curl -s -X 'DELETE' -H 'Authorization: Bearer x' https://a.test/r",
	"psql \"$DATABASE_URL\" -f rollback.sql",
	"psql -d app --file=down.sql",
	"mysql app < rollback.sql",
	"find /var/cache/web -type f -mtime +1 -delete",
	"find . -name '*.tmp' -exec rm {} +",
	/* a file of the operator's own home replaced */
	"echo \"//npm.example.test/:_authToken=${NPM_TOKEN}\" > ~/.npmrc",
	"printf '[default]\\n' >| \"$HOME/.aws/config\"",
	NULL,
};

static const char *const harmless_cmds[] = {
	"kubectl get pods -n prod", "kubectl rollout history deployment/web",
	"helm history web", "argocd app get web", "terraform plan",
	"terraform state list", "git push origin main", "git log --oneline",
	"npm view web dist-tags", "psql -c 'select count(*) from jobs'",
	"rm -rf node_modules", "git fetch --tags", "echo DROP the idea",
	"make -C services/cart smoke", "docker compose ps",
	"rails db:migrate", "goose -dir db/migrations postgres up",
	"migrate -path db/migrations up", "knex migrate:latest",
	"curl -fsS https://api.example.test/health",
	"curl -X POST https://api.example.test/v1/releases",
	"psql -c 'select 1'", "find /var/log -name '*.gz' -print",
	"mysql -e 'show tables'",
	"find . -type d -name __pycache__ -exec rm -rf {} +",
	"find . -type f -name \"*.pyc\" -delete",
	"cat ~/.npmrc", "echo done >> ~/rollback.log",
	NULL,
};

START_TEST(test_hazard_named_commands_are_destructive)
{
	for (size_t i = 0; destructive_cmds[i]; i++)
		ck_assert_msg(hazard_find(HAZARD_DESTRUCTIVE, destructive_cmds[i],
					  NULL, NULL) != NULL,
			      "not destructive: %s", destructive_cmds[i]);
	for (size_t i = 0; harmless_cmds[i]; i++)
		ck_assert_msg(hazard_find(HAZARD_DESTRUCTIVE, harmless_cmds[i],
					  NULL, NULL) == NULL,
			      "destructive: %s", harmless_cmds[i]);
}
END_TEST

/* Only commands known to only read may run before an approval; the
 * mutating commands the third import try ran in assess are not. */
START_TEST(test_hazard_only_known_shapes_are_read_only)
{
	static const char *const reads[] = {
		"git log --oneline -5", "git tag --sort=-creatordate | head",
		"git describe --tags", "git fetch --tags origin",
		"kubectl -n q get pods", "kubectl rollout history deploy/web",
		"kubectl rollout status deployment/web -n web",
		"helm history web -n web --max 10", "helm status web",
		"npm view @acme/sdk versions --json", "npm dist-tag ls @acme/sdk",
		"pip index versions acme", "dig +short api.example.com",
		"curl -s -H \"Fastly-Key: $T\" https://h.test/s/x/version/active"
		" | jq .number", "curl -sI https://www.example.com/ | grep -i x",
		"curl -X GET https://h.test/a", "aws elbv2 describe-listeners "
		"--listener-arn \"$L\" --query 'Listeners[0]'",
		"aws --region us-east-1 rds list-tags-for-resource --r x",
		"terraform plan -out plan.out", "terraform state list",
		"CURRENT=$(git describe --tags)\necho \"$CURRENT\"",
		"for i in 1 2 3; do curl -s -o /dev/null -w '%{http_code}\\n' "
		"https://h.test/; sleep 2; done",
		"cat <<EOF\nkubectl scale deploy/x --replicas=3\nEOF",
		"psql \"$DB\" -c 'SELECT count(*) FROM jobs'",
		"# look first\nkubectl get deploy web -o yaml 2>&1 | head",
		"kubectl get pods >/dev/null 2>&1 && echo up",
		"curl -s https://h.test/ &>/dev/null", "echo 'a > b' >&2",
		"helm status web | tee /dev/stderr",
		"[[ \"$A\" > \"$B\" ]] && echo later", "echo $((3 > 2))",
		/* a substitution's command ends there, its outer one not */
		"[ -z \"$(lsof -ti:8000)\" ] && echo free", "pip --version",
		/* a dump into a file is a backup, however the file is named */
		"pg_dump -f orders.sql orders", "pg_dump orders > orders.sql",
		"mysqldump --result-file=shop.sql shop",
		"mysqldump shop > shop.sql", "pg_dumpall >> all.sql",
		"pg_dump -Fc app | gzip > app.dump.gz",
		NULL,
	};
	static const char *const changes[] = {
		"aws route53 change-resource-record-sets --hosted-zone-id Z1 "
		"--change-batch file://west.json",
		"curl -X PUT -H \"Fastly-Key: $T\" https://h.test/version/3/activate",
		"curl -X POST https://h.test/service/x/purge_all",
		"curl -sXPOST https://h.test/deploy",
		"curl -d '{\"ref\":\"v1\"}' https://deploy.test/api/deploys",
		"kubectl -n q scale deployment/consumer --replicas=2",
		"kubectl -n q set image deployment/c c=reg/c:1",
		"./deploy.sh --env prod", "git push origin main",
		"git tag v1.2.3", "helm upgrade web ./chart",
		"echo ok && ./deploy.sh", "X=$(./make-release.sh)",
		"echo \"$(kubectl delete pod x)\"", "sed -i s/a/b/ f",
		"cat <<EOF | sh\nrm x\nEOF", "psql -c 'UPDATE jobs SET x=1'",
		"npm audit fix", "aws s3 cp a s3://b/a",
		/* init may migrate state and rewrites the lock; fmt rewrites
		 * files */
		"terraform init -input=false",
		"cd infra/network\nterraform init -input=false\n"
		"terraform state list | wc -l", "terraform fmt -recursive",
		"./bin/migrate down 1",
		/* a write into a file is a change, whatever writes it */
		"cat > notes.txt <<EOF\nkubectl scale deploy/x --replicas=3\nEOF",
		"cat <<'EOF' >> /etc/app.conf\nmode=safe\nEOF",
		"kubectl get deploy web -o yaml > web.yaml",
		"echo v1.2.2 >> releases/previous", "echo ok>state",
		"helm get values web | tee values.yaml",
		"git log -1 | sudo tee -a /var/log/rollbacks",
		"kubectl logs web 2>/dev/null >web.log",
		"curl -s https://h.test/ &>out.log",
		"cat notes | gzip > /etc/notes.gz", "gzip > /etc/x.gz",
		"pg_dump app | psql other", NULL,
	};
	char *what = NULL;

	for (size_t i = 0; reads[i]; i++)
		ck_assert_msg(hazard_read_only(reads[i], NULL),
			      "not read-only: %s", reads[i]);
	for (size_t i = 0; changes[i]; i++)
		ck_assert_msg(!hazard_read_only(changes[i], NULL),
			      "read-only: %s", changes[i]);
	ck_assert(!hazard_read_only("kubectl get pods\n./deploy.sh --env prod",
				    &what));
	ck_assert_str_eq(what, "./deploy.sh --env prod");
	free(what);
	ck_assert(!hazard_read_only("V=$(git describe)\n./release.sh \"$(date)\"",
				    &what));
	ck_assert_str_eq(what, "./release.sh \"$(date)\"");
	free(what);
}
END_TEST

START_TEST(test_hazard_interactive_and_waiting_commands)
{
	static const char *const interactive[] = {
		"kubectl edit deployment web", "kubectl exec -it web-0 -- sh",
		"ssh deploy@web1", "vim /etc/app.conf", "less /var/log/app.log",
		"terraform apply", NULL,
	};
	static const struct {
		const char *cmd;
		int64_t us;
	} waits[] = {
		{ "kubectl rollout status deployment/web", 600000000 },
		{ "kubectl get pods -w", 120000000 },
		{ "kubectl logs -f deploy/web", 120000000 },
		{ "watch kubectl get pods", 120000000 },
		{ "sleep 30", 90000000 },
	};

	for (size_t i = 0; interactive[i]; i++)
		ck_assert_msg(hazard_find(HAZARD_INTERACTIVE, interactive[i],
					  NULL, NULL) != NULL,
			      "not interactive: %s", interactive[i]);
	ck_assert_ptr_null(hazard_find(HAZARD_INTERACTIVE,
				       "terraform apply -auto-approve", NULL,
				       NULL));
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
		ck_assert_msg(hazard_timeout_us(waits[i].cmd) == waits[i].us,
			      "%s: %lld", waits[i].cmd,
			      (long long)hazard_timeout_us(waits[i].cmd));
	ck_assert_int_eq(hazard_timeout_us("kubectl get pods"), 0);
}
END_TEST

START_TEST(test_hazard_confirm_text_is_whole_words)
{
	static const char *const cases[][2] = {
		{ "git push origin :refs/tags/v1.2.3",
		  "git push origin :refs/tags/v1.2.3" },
		{ "git reset --hard v1.2.2", "git reset --hard" },
		{ "helm rollback web 41", "helm rollback" },
		{ "cd /srv && terraform state rm aws_instance.web",
		  "terraform state rm" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *c = hazard_confirm_dup(cases[i][0]);

		ck_assert_ptr_nonnull(c);
		ck_assert_str_eq(c, cases[i][1]);
		free(c);
	}
}
END_TEST

/* --- import marks steps with the same rules ------------------------------ */

static const char runbook[] =
	"# Web rollback\n\n"
	"## Rollback\n\n"
	"```bash\n"
	"kubectl -n prod set image deployment/web web=web:1.2.2\n"
	"```\n\n"
	"```bash\n"
	"git push origin :refs/tags/v1.2.3\n"
	"```\n\n"
	"```bash\n"
	"terraform state rm aws_instance.web\n"
	"```\n\n"
	"## Verify\n\n"
	"```bash\n"
	"kubectl rollout status deployment/web\n"
	"```\n\n"
	"```bash\n"
	"kubectl edit configmap web\n"
	"```\n";

static cJSON *
step_running(cJSON *root, const char *text)
{
	cJSON *ph, *st;

	cJSON_ArrayForEach(ph, cJSON_GetObjectItem(root, "phases"))
		cJSON_ArrayForEach(st, cJSON_GetObjectItem(ph, "steps")) {
			const char *run = cJSON_GetStringValue(
				cJSON_GetObjectItem(st, "run"));

			if (run && strstr(run, text))
				return st;
		}
	return NULL;
}

START_TEST(test_import_marks_hazards_from_the_shared_rules)
{
	struct err err = { 0 };
	char *json = mdimport_convert(runbook, strlen(runbook), "r.md", NULL, NULL,
				      &err);
	cJSON *root, *st;

	ck_assert_msg(json != NULL, "%s", err.msg);
	root = cJSON_Parse(json);
	st = step_running(root, "set image");
	ck_assert_ptr_nonnull(st);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	st = step_running(root, ":refs/tags");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	/* the tag deleted, not the remote it is deleted on */
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(st, "confirm")),
			 "git push :refs/tags/v1.2.3");
	st = step_running(root, "state rm");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	st = step_running(root, "rollout status");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(st, "timeout")),
			 "10m");
	st = step_running(root, "kubectl edit");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "interactive")));
	cJSON_Delete(root);
	free(json);
}
END_TEST

/* --- lint checks any playbook with the same rules ------------------------ */

static const char unmarked[] =
	"{\"id\":\"t\",\"title\":\"T\",\"phases\":["
	"{\"id\":\"assess\",\"steps\":[]},{\"id\":\"decide\",\"steps\":[]},"
	"{\"id\":\"approve\",\"steps\":[]},"
	"{\"id\":\"execute\",\"steps\":["
	"{\"id\":\"execute.tf\",\"kind\":\"run\",\"title\":\"Drop state\","
	"\"run\":\"terraform state rm aws_instance.web\"},"
	"{\"id\":\"execute.argo\",\"kind\":\"run\",\"title\":\"Roll back\","
	"\"run\":\"argocd app rollback web 12\"},"
	"{\"id\":\"execute.wait\",\"kind\":\"run\",\"title\":\"Wait\","
	"\"run\":\"kubectl rollout status deployment/web\"},"
	"{\"id\":\"execute.edit\",\"kind\":\"run\",\"title\":\"Edit\","
	"\"run\":\"kubectl edit configmap web\"}]},"
	"{\"id\":\"verify\",\"steps\":[]},"
	"{\"id\":\"communicate\",\"steps\":[]}]}";

static int
has_finding(const struct lint_report *r, const char *rule, const char *path)
{
	for (size_t i = 0; i < r->n_msgs; i++)
		if (strcmp(r->msgs[i].rule, rule) == 0 &&
		    strcmp(r->msgs[i].path, path) == 0)
			return 1;
	return 0;
}

START_TEST(test_lint_flags_unmarked_hazards_with_the_shared_rules)
{
	struct err err = { 0 };
	struct lint_report r = { 0 };
	struct playbook *pb = playbook_load_buffer(unmarked, strlen(unmarked),
						   "t.json", &err);

	ck_assert_msg(pb != NULL, "%s", err.msg);
	lint_playbook(pb, &r);
	ck_assert(has_finding(&r, "looks-destructive", "phases[3].steps[0].run"));
	ck_assert(has_finding(&r, "looks-destructive", "phases[3].steps[1].run"));
	ck_assert(has_finding(&r, "no-timeout", "phases[3].steps[2].run"));
	ck_assert(has_finding(&r, "looks-interactive", "phases[3].steps[3].run"));
	lint_report_done(&r);
	playbook_free(pb);
}
END_TEST

/* A SELECT calling a function that changes the server's state is
 * neither read-only nor harmless: it is destructive (a typed
 * confirmation, after the approval). */
START_TEST(test_hazard_sql_functions_that_change_state_are_destructive)
{
	static const char *const cmds[] = {
		"psql -h db -U admin -d shop -c \"select pg_terminate_backend(pid) "
		"from pg_stat_activity where usename='app';\"",
		"psql \"$DB\" -c 'SELECT pg_cancel_backend(4242)'",
		"psql -c \"select setval('orders_id_seq', 100)\"",
		"psql -c \"SELECT nextval ('orders_id_seq')\"",
		"psql -c 'select lo_unlink(16384)'",
		"psql -c \"select dblink_exec('dbname=x', 'delete from t')\"",
		NULL,
	};

	for (size_t i = 0; cmds[i]; i++) {
		ck_assert_msg(hazard_find(HAZARD_DESTRUCTIVE, cmds[i], NULL,
					  NULL) != NULL, "not destructive: %s",
			      cmds[i]);
		ck_assert_msg(!hazard_read_only(cmds[i], NULL), "read-only: %s",
			      cmds[i]);
	}
	ck_assert_ptr_null(hazard_find(HAZARD_DESTRUCTIVE, "psql -c \"select "
		"count(*) from pg_stat_activity where state = 'nextval'\"",
		NULL, NULL));
}
END_TEST

/* Of a step's several commands the most destructive is the one named
 * (drop, delete, destroy, force-push, reset --hard, rm -rf before any
 * other change), wherever it stands in the step. */
START_TEST(test_hazard_names_the_most_destructive_command)
{
	static const char *const cases[][2] = {
		{ "pg_dump -Fc app > app.dump\npsql -c 'drop database app'",
		  "drop database" },
		{ "kubectl rollout restart deployment/web && "
		  "kubectl delete namespace canary", "kubectl delete" },
		{ "kubectl apply -f web.yaml; kubectl delete pod web-1",
		  "kubectl delete" },
		{ "helm upgrade web ./chart\ngit push --force origin main",
		  "git push --force" },
		{ "systemctl restart web; rm -rf /srv/web/releases/42",
		  "rm -rf" },
		{ "git reset --hard v1.2.2", "git reset --hard" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *c = hazard_confirm_dup(cases[i][0]);

		ck_assert_ptr_nonnull(c);
		ck_assert_msg(strncmp(c, cases[i][1], strlen(cases[i][1])) == 0,
			      "%s: named '%s', not '%s'", cases[i][0], c,
			      cases[i][1]);
		free(c);
	}
}
END_TEST

/* The import's typed confirmation names that command, and for SQL run
 * through a client the statement and its object. */
START_TEST(test_import_confirm_names_the_most_destructive_command)
{
	static const char *const md[] = {
		"# DB rollback\n\n## Execute\n\n```bash\nset -e\n"
		"pg_dump -Fc app > app.dump\npsql -c 'drop database app'\n```\n",
		"# DB rollback\n\n## Execute\n\n```bash\npg_dump -Fc app > "
		"app.dump && psql -c 'drop database app'\n```\n",
		"# DB rollback\n\n## Execute\n\n```bash\n"
		"psql -c \"DELETE FROM sessions WHERE stale\"\n```\n",
	};
	static const char *const want[] = { "drop database app",
		"drop database app", "DELETE FROM sessions" };

	for (size_t i = 0; i < sizeof(md) / sizeof(md[0]); i++) {
		struct err err = { 0 };
		char *json = mdimport_convert(md[i], strlen(md[i]),
					      "runbook.md", NULL, NULL, &err);
		cJSON *root, *st;

		ck_assert_msg(json != NULL, "%s", err.msg);
		root = cJSON_Parse(json);
		st = step_running(root, "psql");
		ck_assert_ptr_nonnull(st);
		ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
		ck_assert_str_eq(cJSON_GetStringValue(
			cJSON_GetObjectItem(st, "confirm")), want[i]);
		cJSON_Delete(root);
		free(json);
	}
}
END_TEST

/* --- import and check classify every command of the tables alike ------ */

/* How the shared rules class a command: destructive (a typed
 * confirmation), a change not known to be destructive (it waits for an
 * approval), or known to only read. */
enum hazard_class { CLASS_READS, CLASS_CHANGES, CLASS_DESTRUCTIVE };

static const char *const class_names[] = { "reads", "changes",
					   "destructive" };

static enum hazard_class
rules_class(const char *cmd)
{
	if (hazard_find(HAZARD_DESTRUCTIVE, cmd, NULL, NULL))
		return CLASS_DESTRUCTIVE;
	return hazard_read_only(cmd, NULL) ? CLASS_READS : CLASS_CHANGES;
}

/* Whether the import ROOT has a review point on step ID saying its
 * command is not known to be read-only. */
static int
reviewed_as_unknown(const cJSON *root, const char *id)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review")) {
		const char *step = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "step"));
		const char *text = cJSON_GetStringValue(
			cJSON_GetObjectItem(r, "text"));

		if (step && text && !strcmp(step, id) &&
		    strstr(text, "is not known to be read-only"))
			return 1;
	}
	return 0;
}

/* How import classes CMD, alone in a rollback section after the
 * runbook's approval: destructive with its own confirmation, gated as not
 * known to only read, or a plain step. */
static enum hazard_class
import_class(const char *cmd)
{
	struct err err = { 0 };
	char *md = xasprintf("# Web incident\n\n## Approval\n\nThe "
			     "incident commander approves the rollback.\n\n"
			     "## Rollback\n\n```bash\n%s\n```\n", cmd);
	char *json = mdimport_convert(md, strlen(md), "r.md", NULL, NULL,
				      &err);
	cJSON *root, *st;
	enum hazard_class c = CLASS_READS;

	ck_assert_msg(json != NULL, "%s: %s", cmd, err.msg);
	root = cJSON_Parse(json);
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
		cJSON_GetObjectItem(root, "phases"), 3), "steps"), 0);
	ck_assert_msg(cJSON_GetStringValue(cJSON_GetObjectItem(st, "run")),
		      "%s: no execute step", cmd);
	if (cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")))
		c = reviewed_as_unknown(root, cJSON_GetStringValue(
			cJSON_GetObjectItem(st, "id")))
		    ? CLASS_CHANGES : CLASS_DESTRUCTIVE;
	cJSON_Delete(root);
	free(json);
	free(md);
	return c;
}

/* How `rewind check` classes CMD, the run of an execute step not marked
 * destructive with no approval before it: looks-destructive,
 * change-before-approval, or neither. */
static enum hazard_class
lint_class(const char *cmd)
{
	struct err err = { 0 };
	struct lint_report r = { 0 };
	cJSON *root = cJSON_Parse(unmarked);
	cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(root, "phases"), 3),
		"steps"), 0);
	struct playbook *pb;
	enum hazard_class c = CLASS_READS;
	char *text;

	cJSON_ReplaceItemInObject(st, "run", cJSON_CreateString(cmd));
	text = cJSON_PrintUnformatted(root);
	pb = playbook_load_buffer(text, strlen(text), "t.json", &err);
	ck_assert_msg(pb != NULL, "%s: %s", cmd, err.msg);
	lint_playbook(pb, &r);
	if (has_finding(&r, "looks-destructive", "phases[3].steps[0].run"))
		c = CLASS_DESTRUCTIVE;
	else if (has_finding(&r, "change-before-approval",
			     "phases[3].steps[0]"))
		c = CLASS_CHANGES;
	lint_report_done(&r);
	playbook_free(pb);
	free(text);
	cJSON_Delete(root);
	return c;
}

/* One table both read alike: every command of the destructive and the
 * harmless tables is classed by import exactly as `rewind check` classes
 * it, and both as the shared rules do. */
START_TEST(test_import_and_lint_classify_the_table_alike)
{
	const char *const *tables[] = { destructive_cmds, harmless_cmds };
	struct strbuf bad = STRBUF_INIT;

	for (int t = 0; t < 2; t++)
		for (size_t i = 0; tables[t][i]; i++) {
			const char *cmd = tables[t][i];
			enum hazard_class want = rules_class(cmd);
			enum hazard_class imp = import_class(cmd);
			enum hazard_class lnt = lint_class(cmd);

			if (imp != want || lnt != want)
				strbuf_addf(&bad, "\n  %s: import %s, check "
					    "%s, rules %s", cmd,
					    class_names[imp], class_names[lnt],
					    class_names[want]);
		}
	ck_assert_msg(!bad.len, "classed apart:%s", strbuf_str(&bad));
	strbuf_done(&bad);
}
END_TEST

static Suite *
hazard_suite(void)
{
	Suite *s = suite_create("hazard");
	TCase *tc = tcase_create("rules");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_hazard_named_commands_are_destructive);
	tcase_add_test(tc, test_hazard_only_known_shapes_are_read_only);
	tcase_add_test(tc, test_hazard_interactive_and_waiting_commands);
	tcase_add_test(tc, test_hazard_confirm_text_is_whole_words);
	tcase_add_test(tc, test_import_marks_hazards_from_the_shared_rules);
	tcase_add_test(tc, test_lint_flags_unmarked_hazards_with_the_shared_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("agree");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_import_and_lint_classify_the_table_alike);
	suite_add_tcase(s, tc);
	tc = tcase_create("mostdestructive");
	tcase_add_test(tc, test_hazard_names_the_most_destructive_command);
	tcase_add_test(tc,
		test_import_confirm_names_the_most_destructive_command);
	suite_add_tcase(s, tc);
	tc = tcase_create("sqlfuncs");
	tcase_add_test(tc,
		test_hazard_sql_functions_that_change_state_are_destructive);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hazard_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
