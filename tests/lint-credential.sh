#!/bin/sh
# `rewind check --strict` fails a playbook (any, not only a draft) whose
# run step writes out a credential: a token of a known shape (ghp_...,
# pypi-...) or a password given on the command line; the warning names
# the step. A password asked as a secret variable passes.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

playbook() {	# NAME RUN (JSON-quoted)
	cat >"$tmp/$1.json" <<JSON
{"id": "$1", "title": "Staging clean-up",
 "variables": {"MYSQL_PASSWORD": {"prompt": "MySQL password", "secret": true}},
 "phases": [
  {"id": "assess", "title": "Assess", "steps": [
   {"id": "assess.pw", "kind": "input", "title": "MySQL password",
    "variable": "MYSQL_PASSWORD"}]},
  {"id": "decide", "title": "Decide", "steps": []},
  {"id": "approve", "title": "Approve", "steps": [
   {"id": "approve.sign-off", "kind": "approve", "title": "Sign-off",
    "roles": [{"role": "DBA"}]}]},
  {"id": "execute", "title": "Execute", "steps": [
   {"id": "execute.drop", "kind": "run", "title": "Drop the copy",
    "run": $2, "drill": {"output": "ok"}}]},
  {"id": "verify", "title": "Verify", "steps": []},
  {"id": "communicate", "title": "Communicate", "steps": []}]}
JSON
}
flagged() {	# NAME RUN WHAT
	playbook "$1" "$2"
	"$bin" check --strict "$tmp/$1.json" >"$tmp/$1.out" 2>&1 &&
		fail "$1: check --strict passed"
	grep -q "warning: step execute.drop runs a credential written out ($3)" \
		"$tmp/$1.out" || fail "$1: no warning naming the step: $(cat "$tmp/$1.out")"
}
flagged mysql '"mysql -u root -pHunter2Hunter2 -e \"select 1\""' \
	'a password on the command line'
flagged long '"psql --password=Hunter2Hunter2 -c \"select 1\""' \
	'a password on the command line'
flagged pypi '"twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcCJGE0ZjQ4YjZlLTI3ZDEtNDM5Yy1hZmFkLWY1ZjQ2YzA3ZWI2NQ dist/*"' \
	'a PyPI token'
flagged github '"curl -H \"Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789\" https://api.example.test/x"' \
	'a GitHub token'
flagged webhook '"curl -X POST -d \"{}\" https://hooks.chat.example.test/services/T0AB12CDE/B0FG34HIJ/q8R2xYzAbC9dEfGhIjKlMn0p"' \
	'the secret token of a webhook URL'
# A confirmation holding the token: the operator would type a secret.
playbook confirm '"curl -X POST -d \"{}\" https://hooks.chat.example.test/services/T0AB12CDE/B0FG34HIJ/${WEBHOOK_TOKEN}"'
sed 's|"drill": {"output": "ok"}|"destructive": true, "confirm": "curl -X POST q8R2xYzAbC9dEfGhIjKlMn0p", &|' \
	"$tmp/confirm.json" >"$tmp/confirm2.json"
"$bin" check "$tmp/confirm2.json" >"$tmp/confirm.out" 2>&1 &&
	fail "a confirmation holding a token passes check"
grep -q "confirm-names-secret\|the confirmation holds a credential written out" \
	"$tmp/confirm.out" ||
	fail "no confirm-names-secret: $(cat "$tmp/confirm.out")"
playbook asked '"mysql -u root -p\"${MYSQL_PASSWORD}\" -e \"select 1\""'
"$bin" check --strict "$tmp/asked.json" >"$tmp/asked.out" 2>&1 ||
	fail "a password asked as a secret is flagged: $(cat "$tmp/asked.out")"
[ $failed = 0 ] && echo "lint credential: a credential written out fails --strict"
exit $failed
