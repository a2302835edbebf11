#!/bin/sh
# A required execute step that is not the rollback itself (a login, not
# destructive) marked n/a does not leave the recovery unproven; the
# destructive rollback step marked n/a does.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{"id":"login","title":"Login then move",
 "targets_rto":{"default":"10m"},
 "phases":[{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
 {"id":"execute","steps":[
   {"id":"e.login","kind":"run","title":"Log in","run":"echo logged in"},
   {"id":"e.move","kind":"run","title":"Move latest","destructive":true,"confirm":"move","run":"echo moved"}]},
 {"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
run_walk() {
	printf 'next\nnext\nnext\n%s\nnext\nnext\nnext\n' "$2" |
		"$bin" run "$tmp/pb.json" --batch --operator olga --session-dir "$tmp/$1" >"$tmp/$1.out" 2>&1
	"$bin" report "$tmp/$1" --format json >"$tmp/$1.json" 2>&1
}
run_walk a "$(printf 'na e.login already logged in\nconfirm e.move move\nrun e.move')"
# unproven FILE: the report's rto_unproven list, as JSON.
unproven() {
	python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["metrics"]["rto_unproven"]))' "$1"
}
[ "$(unproven "$tmp/a.json")" = '[]' ] ||
	fail "a login marked n/a left the recovery unproven: $(unproven "$tmp/a.json")"
run_walk b "$(printf 'run e.login\nna e.move not done')"
[ "$(unproven "$tmp/b.json")" = '["e.move marked n/a"]' ] ||
	fail "the rollback marked n/a did not leave it unproven: $(unproven "$tmp/b.json")"
[ "$failed" = 0 ] && echo "PASS: report-unproven-login"
exit "$failed"
