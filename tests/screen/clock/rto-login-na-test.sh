#!/bin/sh
# One rule decides whether a recovery was proven, everywhere: a completed
# session whose login step (a required execute step, not the rollback
# itself) was marked n/a by hand and whose verify step was n/a by its
# condition reads "met" in the report, in the console's header and in
# rewind replay; the rollback step itself marked n/a reads "not proven"
# in all three.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"login","title":"Login then move",
 "targets_rto":{"default":"10m"},
 "variables":{"KIND":{"prompt":"kind","default":"library"}},
 "phases":[{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
 {"id":"execute","steps":[
   {"id":"e.login","kind":"run","title":"Log in","run":"echo logged in"},
   {"id":"e.move","kind":"run","title":"Move latest","destructive":true,"confirm":"move","run":"echo moved"}]},
 {"id":"verify","steps":[
   {"id":"v.app","kind":"run","title":"The app answers","run":"echo up",
    "when":{"KIND":"app"}}]},
 {"id":"communicate","steps":[]}]}
JSON
# walk NAME EXECUTE-ACTIONS: a batch walk to COMPLETE, and its report.
walk() {
	printf 'next\nnext\nnext\n%s\nnext\nnext\nnext\n' "$2" |
		run_rewind run "$SCREEN_TMP/pb.json" --batch --operator olga \
			--session-dir "$SCREEN_TMP/$1" >"$SCREEN_TMP/$1.out" 2>&1
	grep -q '"phase":"complete"' "$SCREEN_TMP/$1.out" ||
		{ cat "$SCREEN_TMP/$1.out"; fail "$1: the walk did not complete"; }
	run_rewind report "$SCREEN_TMP/$1" --format json >"$SCREEN_TMP/$1.json" 2>&1
}
# agree NAME WORD: the report, the console and the replay all say WORD.
agree() {
	st=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["metrics"]["rto_status"])' "$SCREEN_TMP/$1.json")
	[ "$st" = "$2" ] || soft_fail "$1: the report's rto_status is '$st', not '$2'"
	fresh_server
	start_app run "$SCREEN_TMP/$1" --operator olga
	wait_text " of 10m RTO, $2\$"
	keys_nowait q
	wait_exit
	fresh_server
	start_app replay "$SCREEN_TMP/$1"
	keys G
	wait_text " of 10m RTO, $2\$"
}
walk login-na "$(printf 'na e.login already logged in\nconfirm e.move move\nrun e.move')"
agree login-na met
walk move-na "$(printf 'run e.login\nna e.move not done')"
agree move-na 'not proven'
pass "the report, the console and the replay agree on whether the recovery was proven"
