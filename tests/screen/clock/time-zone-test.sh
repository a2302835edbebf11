#!/bin/sh
# One time zone rule for every place the console shows a time: with the
# local zone 5:30 east of UTC, the default shows UTC everywhere (the
# checklist's who/when, the Output tab's run lines, the Journal tab, the
# Tags tab's dates) and REWIND_TIME=local (or "time = local" in the config
# file) shows local time everywhere; replay's `t` reads a typed time in
# the same zone. A bad value says so and keeps UTC. Before, the Registry
# tab and the approvers' times were local while the rest was UTC.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$REWIND_SRCDIR/tests/fixtures/playbooks/console.json
EAST=XST-05:30			# a POSIX TZ: needs no zone files

# walk SESSION: run a.quick (at 19:30:00 UTC) and show the Output tab.
walk() {
	start_app run "$PB" --session-dir "$1" --operator sam --var PUBLISH_TOKEN=x
	keys j j j j Enter
	wait_text 'a\.quick failed'
	keys ']'
}

APP_ENV="TZ=$EAST"
walk "$SCREEN_TMP/utc"
wait_text '▶ a\.quick  started 19:30:[0-5][0-9]'
assert_text 'Say something quickly  sam 19:30' "the checklist is not in UTC by default"
keys ']'
wait_text '19:30:[0-5][0-9] step\.started'

APP_ENV="TZ=$EAST REWIND_TIME=local"
walk "$SCREEN_TMP/local"
wait_text '▶ a\.quick  started 01:00:[0-5][0-9]'
assert_text 'Say something quickly  sam 01:00' "the checklist does not follow REWIND_TIME=local"
assert_text 'exit 3 after .* at 01:00:[0-5][0-9]' "the run's end line does not follow REWIND_TIME=local"
keys ']'
wait_text '01:00:[0-5][0-9] step\.started'

mkdir -p "$SCREEN_TMP/config/rewind"
echo 'time = local' >"$SCREEN_TMP/config/rewind/config"
APP_ENV="TZ=$EAST"
walk "$SCREEN_TMP/conf"
wait_text '▶ a\.quick  started 01:00:[0-5][0-9]'

APP_ENV="TZ=$EAST REWIND_TIME=mars"
walk "$SCREEN_TMP/bad"
wait_text '▶ a\.quick  started 19:30:[0-5][0-9]'
rm -f "$SCREEN_TMP/config/rewind/config"
APP_ENV="TZ=$EAST REWIND_TIME=mars"
start_app run "$PB" --session-dir "$SCREEN_TMP/bad2" --operator sam --var PUBLISH_TOKEN=x
wait_text 'REWIND_TIME: time zone "mars" is neither utc nor local; showing UTC'

# The replay reads a typed time of day in the same zone: 01:00 local is
# the run at 19:30 UTC.
APP_ENV="TZ=$EAST REWIND_TIME=local"
start_app replay "$SCREEN_TMP/local"
keys t
type_text 01:00
keys Enter
wait_text 'wall time 01:00:00 \(\+00:00\)'	# read as UTC it is +5:30:00
pass "one time zone rule: UTC by default, local on request, everywhere"
