#!/bin/sh
# The shipped PyPI playbooks name their package by a variable: with
# --var PACKAGE=widget-b and --var PIP_INDEX_URL pointing at a loopback
# PyPI-shaped index, the Registry tab shows widget-b's versions from that
# index, the index is never asked for the seed's package, and the
# commands name "$PACKAGE". (They once hard-coded bitfinex-maker-kit and
# entity-core, and --var could not change them.)
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "for the fixture index server"

ROUTES=$SCREEN_TMP/routes.json
cat >"$ROUTES" <<'JSON'
{"/pypi/widget-b/json": {"body": {"info": {"name": "widget-b", "version": "2.0.0"},
   "releases": {"1.9.0": [{"filename": "widget_b-1.9.0.tar.gz", "upload_time_iso_8601": "2026-11-01T10:00:00Z", "yanked": false}],
                "2.0.0": [{"filename": "widget_b-2.0.0.tar.gz", "upload_time_iso_8601": "2026-11-20T10:00:00Z", "yanked": false}]}}},
 "*": {"status": 404, "body": {"message": "Not Found"}}}
JSON
mkfifo "$SCREEN_TMP/srv.in" || fail "mkfifo"
python3 "$REWIND_SRCDIR/tests/fixtures/fixsrv.py" "$ROUTES" \
	<"$SCREEN_TMP/srv.in" >"$SCREEN_TMP/srv.out" 2>"$SCREEN_TMP/srv.err" &
exec 9>"$SCREEN_TMP/srv.in"	# the server stops when this closes (exit)
wait_for 'PORT=$(sed -n "s/^PORT \([0-9]*\)$/\1/p" "$SCREEN_TMP/srv.out") && [ -n "$PORT" ]'
INDEX=http://127.0.0.1:$PORT/simple/

for pb in pypi-release-recovery framework-emergency-rollback; do
	fresh_server
	start_app -x 120 -y 30 run --session-dir "$SCREEN_TMP/$pb" \
		--operator sam --var PACKAGE=widget-b --var PIP_INDEX_URL="$INDEX" \
		"$REWIND_SRCDIR/playbooks/$pb.json"
	tab Registry
	wait_text 'pypi +widget-b' 10
	wait_text '2\.0\.0' 10
	assert_fixed '1.9.0'
	keys q
	keys_nowait Enter
	wait_exit
	grep -q '"type":"registry.answer"' "$SCREEN_TMP/$pb/journal.jsonl" ||
		fail "$pb: no registry answer journalled"
	grep -qF '\"$PACKAGE==' "$SCREEN_TMP/$pb/playbook.json" ||
		fail "$pb: the install command does not name \$PACKAGE"
done
requests=$(python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" \
		"http://127.0.0.1:$PORT/_requests")
case $requests in
*widget-b*) ;;
*) fail "the index was never asked for widget-b: $requests" ;;
esac
case $requests in
*bitfinex*|*entity-core*) fail "the index was asked for the seed's package: $requests" ;;
esac
pass
