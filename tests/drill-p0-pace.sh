#!/bin/sh
# The web service's p0-outage drill can be passed at full marks by a
# careful operator and not by a slow one. The good walk is played with
# the simulated commands paced (REWIND_TEST_DRILL_PACE=1: each takes its
# simulated time) and the operator's own time added between the phases:
# READ seconds for every action of a phase (reading the pane, typing the
# value), as a careful trainee reads the panes. It must score full marks,
# the recovery-time target included, with no required verification n/a;
# the same walk at twice that reading time must miss the target.
# (A phase's actions all happen at its start; a resumed batch session is
# incomplete until the last phase, so only the last run succeeds.)
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
src=$(cd "$src" && pwd)
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
pb=$src/playbooks/web-service-rollback.json
walk=$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk
careful=6	# seconds a careful operator spends on each action

# The trainee's directory: a git repository that is not the package's.
mkdir -p "$tmp/elsewhere" && git -C "$tmp/elsewhere" init -q &&
	echo notes >"$tmp/elsewhere/README" &&
	git -C "$tmp/elsewhere" add README &&
	git -C "$tmp/elsewhere" commit -q -m notes || exit 99

# The walk in chunks, one a phase (each ends at its "next").
grep -v '^#' "$walk" | grep -v '^[[:space:]]*$' >"$tmp/walk"
awk -v d="$tmp" '{ print > (d "/chunk." n) } /^next/ { n++ }' n=0 "$tmp/walk"

# last_wall DIR: the journal's last event time, in seconds since the epoch.
last_wall() {
	python3 - "$1/journal.jsonl" <<'PY'
import json, sys, datetime
w = json.loads(open(sys.argv[1]).read().splitlines()[-1])["wall"]
t = datetime.datetime.strptime(w[:19], "%Y-%m-%dT%H:%M:%S")
print(int(t.replace(tzinfo=datetime.timezone.utc).timestamp()) + 1)
PY
}

# play DIR READ PACE: the walk, a phase at a time, each phase starting
# READ seconds per action after the last one ended.
play() {
	t=1767261600	# 2026-01-01T10:00:00Z, the briefing: the drill starts
	(cd "$tmp/elsewhere" && REWIND_TEST_NOW=$t "$bin" drill "$pb" \
		--session-dir "$1" --scenario=p0-outage --batch \
		--operator olga </dev/null >"$1.out" 2>&1)
	for c in "$tmp"/chunk.*; do
		t=$((t + $2 * $(wc -l <"$c")))
		(cd "$tmp/elsewhere" && REWIND_TEST_NOW=$t \
			REWIND_TEST_DRILL_PACE=$3 "$bin" drill "$1" --batch \
			--operator olga <"$c" >>"$1.out" 2>&1)
		t=$(last_wall "$1")
	done
	[ -f "$1/scorecard.json" ] || {
		fail "$1: the walk did not complete: $(grep '"type":"error"' "$1.out" | head -2)"
		exit 1
	}
}

# card DIR: "SCORE MAX RTO-POINTS RECOVERY TARGET N/A-COUNT" of the card.
card() {
	python3 - "$1/scorecard.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
rto = [x for x in c["criteria"] if x["name"] == "rto"][0]
print(c["score"], c["max"], rto["points"], c.get("recovery_seconds"),
      c.get("rto_seconds"), len(c.get("unverified", [])) + len(c.get("na", [])))
PY
}

play "$tmp/good" "$careful" 1
set -- $(card "$tmp/good")
[ "$1" = "$2" ] && [ "$3" = 20 ] && [ "$6" = 0 ] ||
	fail "a careful operator ($careful s an action) scores $1/$2, rto $3/20: recovered in $4 s of $5 s, $6 step(s) n/a"
good="careful: $1/$2, recovered in $4 s of $5 s"

play "$tmp/slow" $((2 * careful)) 0
set -- $(card "$tmp/slow")
[ "$3" = 0 ] ||
	fail "a slow operator ($((2 * careful)) s an action) still met the target: recovered in $4 s of $5 s"

[ "$failed" = 0 ] && echo "PASS: drill-p0-pace: $good; slow: recovered in $4 s of $5 s"
exit "$failed"
