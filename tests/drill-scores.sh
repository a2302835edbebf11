#!/bin/sh
# Every shipped scenario can be passed by a good operator and failed by a
# careless one. For each playbook x scenario, tests/fixtures/walks holds
# NAME-scenario-ID.walk (a good operator: it must score full marks, follow
# the expected decision and mark no required verification n/a) and
# NAME-scenario-ID.careless (a wrong decision, a skipped verification or a
# missed approval: it must score at least 15% of the maximum less). The
# maximum is the same for both (and for every walk of the scenario): which
# criteria count is the scenario's, not the walk's. Both run in batch mode.
# The good walk runs as a trainee runs it: with the clone on, from a
# directory that is some other git repository, not the package's; it
# may mark a required step n/a only where the scenario scripts that
# step's failure (the operator finished it by hand) or the step is a
# checklist item the trainee judges: a command that fails only because
# the drill cannot answer it would make the scenario unpassable. The
# careless walk runs with the clone off, as tests/playbook-walks.sh runs
# walks.
# A scenario still without its pair is named in walks/UNCOVERED, one
# "NAME ID" a line, and listed on every run; anything else missing fails.
set -u
bin=$(cd "$(dirname "${REWIND_BIN:-./rewind}")" && pwd)/$(basename "${REWIND_BIN:-./rewind}")
src=$(cd "${REWIND_SRCDIR:-.}" && pwd)
walks=$src/tests/fixtures/walks
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
# The trainee's directory: a git repository that is not the package's.
elsewhere=$tmp/elsewhere
mkdir -p "$elsewhere" && git -C "$elsewhere" init -q &&
	echo notes >"$elsewhere/README" && git -C "$elsewhere" add README &&
	git -C "$elsewhere" commit -q -m notes || exit 99
fail=0 n=0 left=0

# score WALK PLAYBOOK SCENARIO DIR [CLONE-OPTION]:
# "SCORE MAX FOLLOWED UNVERIFIED MISSING FORCED-NA"
score() {
	(cd "$elsewhere" && "$bin" drill "$2" --batch --operator olga \
		--session-dir "$4" ${5:-} --scenario="$3" <"$1" >"$4.out" \
		2>"$4.err") || { echo "incomplete"; return; }
	python3 - "$4/scorecard.json" "$2" "$3" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
pb = json.load(open(sys.argv[2]))
e = c.get("expected") or {}
missing = sum(1 for a in c.get("approvals", []) if a["obtained"] < a["required"])
steps = {}
def collect(o):
    if isinstance(o, dict):
        if "id" in o and "kind" in o:
            steps[o["id"]] = o
        for v in o.values():
            collect(v)
    elif isinstance(o, list):
        for v in o:
            collect(v)
collect(pb["phases"])
scen = [x for x in pb.get("scenarios", []) if x["id"] == sys.argv[3]][0]
scripted = set((scen.get("outcomes") or {}).keys())
forced = [n["step"] for n in c.get("na", [])
          if steps.get(n["step"], {}).get("required", True)
          and steps.get(n["step"], {}).get("kind") != "check"
          and n["step"] not in scripted]
print(c["score"], c["max"], str(e.get("followed", True)).lower(),
      len(c.get("unverified", [])), missing, ",".join(forced) or "-")
PY
}

for pb in "$src"/playbooks/*.json; do
	case "$pb" in */schema.json) continue ;; esac
	name=$(basename "$pb" .json)
	for id in $("$bin" drill --list-scenarios --game-master "$pb" | grep -v "^[[:space:]]" | cut -f1); do
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
			echo "FAIL: $name $id: the good walk did not complete (clone on, run from another repository):"
			grep '"type":"error"' "$tmp/g$n.out" | head -3
			fail=1; continue
		fi
		[ "$6" = - ] ||
			{ echo "FAIL: $name $id: the good walk marks required steps n/a that the scenario does not make fail: $6"; fail=1; }
		gscore=$1 gmax=$2
		[ "$1" = "$2" ] && [ "$3" = true ] && [ "$4" = 0 ] && [ "$5" = 0 ] ||
			{ echo "FAIL: $name $id: good walk scores $1/$2, followed $3, $4 unverified, $5 approvals missing"; fail=1; }
		set -- $(score "$careless" "$pb" "$id" "$tmp/c$n" --no-real-in-clone)
		if [ "$1" = incomplete ]; then
			echo "FAIL: $name $id: the careless walk did not complete:"
			grep '"type":"error"' "$tmp/c$n.out" | head -3
			fail=1; continue
		fi
		[ "$2" = "$gmax" ] ||
			{ echo "FAIL: $name $id: the careless walk is scored out of $2, the good walk out of $gmax"; fail=1; }
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
