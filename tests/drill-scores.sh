#!/bin/sh
# Every shipped scenario can be passed by a good operator and failed by a
# careless one. For each playbook x scenario, tests/fixtures/walks holds
# NAME-scenario-ID.walk (a good operator: it must score full marks, follow
# the expected decision and mark no required verification n/a) and
# NAME-scenario-ID.careless (a wrong decision, a skipped verification or a
# missed approval: its share of the maximum must be at least 15 points
# lower; a wrong decision walks another path, where other criteria
# apply, so shares are compared, not points). Both run in
# batch mode with the clone off, as tests/playbook-walks.sh runs walks.
# A scenario still without its pair is named in walks/UNCOVERED, one
# "NAME ID" a line, and listed on every run; anything else missing fails.
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
walks=$src/tests/fixtures/walks
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC
fail=0 n=0 left=0

# score WALK PLAYBOOK SCENARIO DIR: "SCORE MAX FOLLOWED UNVERIFIED MISSING"
score() {
	"$bin" drill "$2" --batch --operator olga --session-dir "$4" \
		--no-real-in-clone --scenario="$3" <"$1" >"$4.out" 2>"$4.err" ||
		{ echo "incomplete"; return; }
	python3 - "$4/scorecard.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
e = c.get("expected") or {}
missing = sum(1 for a in c.get("approvals", []) if a["obtained"] < a["required"])
print(c["score"], c["max"], str(e.get("followed", True)).lower(),
      len(c.get("unverified", [])), missing)
PY
}

for pb in "$src"/playbooks/*.json; do
	case "$pb" in */schema.json) continue ;; esac
	name=$(basename "$pb" .json)
	for id in $("$bin" drill --list-scenarios "$pb" | cut -f1); do
		n=$((n + 1))
		good=$walks/$name-scenario-$id.walk
		careless=$walks/$name-scenario-$id.careless
		if [ ! -f "$good" ] || [ ! -f "$careless" ]; then
			if grep -qx "$name $id" "$walks/UNCOVERED" 2>/dev/null; then
				left=$((left + 1))
				echo "not yet covered: $name $id"
			else
				echo "FAIL: $name $id: no good walk and careless walk"
				fail=1
			fi
			continue
		fi
		grep -qx "$name $id" "$walks/UNCOVERED" 2>/dev/null &&
			{ echo "FAIL: $name $id is covered: take it out of UNCOVERED"; fail=1; }
		set -- $(score "$good" "$pb" "$id" "$tmp/g$n")
		if [ "$1" = incomplete ]; then
			echo "FAIL: $name $id: the good walk did not complete:"
			grep '"type":"error"' "$tmp/g$n.out" | head -3
			fail=1; continue
		fi
		gscore=$1 gmax=$2
		[ "$1" = "$2" ] && [ "$3" = true ] && [ "$4" = 0 ] && [ "$5" = 0 ] ||
			{ echo "FAIL: $name $id: good walk scores $1/$2, followed $3, $4 unverified, $5 approvals missing"; fail=1; }
		set -- $(score "$careless" "$pb" "$id" "$tmp/c$n")
		if [ "$1" = incomplete ]; then
			echo "FAIL: $name $id: the careless walk did not complete:"
			grep '"type":"error"' "$tmp/c$n.out" | head -3
			fail=1; continue
		fi
		# Paths differ in what applies, so compare shares of the maximum.
		[ $((100 * $1 / $2 + 15)) -le $((100 * gscore / gmax)) ] ||
			{ echo "FAIL: $name $id: careless walk scores $1/$2, not visibly less than $gscore/$gmax"; fail=1; }
		[ "$3" = false ] || [ "$4" -gt 0 ] || [ "$5" -gt 0 ] ||
			{ echo "FAIL: $name $id: the careless walk makes none of the mistakes"; fail=1; }
		echo "$name $id: good $gscore/$gmax, careless $1/$2"
	done
done
[ $n -gt 0 ] || { echo "FAIL: no scenario found"; fail=1; }
[ $fail -eq 0 ] && echo "drill scores: $n scenarios, $left not yet covered"
exit $fail
