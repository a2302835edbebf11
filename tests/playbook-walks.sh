#!/bin/sh
# Every shipped playbook passes `rewind check`, and every walk in
# tests/fixtures/walks/ drives its playbook's drill to completion in batch
# mode (one walk per decision path and per scenario that needs its own).
# A walk named NAME-....walk belongs to playbooks/NAME.json (the longest
# playbook name that prefixes it); NAME-scenario-ID.walk runs --scenario ID.
# The walks are about the playbooks' paths, so the steps that opt in to run
# in a throwaway clone of the git target (".", which may be a checkout of
# this project) stay simulated: --no-real-in-clone. tests/tripwire.sh
# drives the same walks with the clone on, against a repository it makes.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
fail=0 n=0 npb=0

for pb in "$src"/playbooks/*.json; do
	case "$pb" in */schema.json) continue ;; esac
	[ -f "$pb" ] || continue
	npb=$((npb + 1))
	"$bin" check "$pb" >/dev/null || { echo "FAIL: rewind check $pb"; fail=1; }
done

playbook_for() {	# walk file -> playbook path (longest matching name)
	best=""
	w=$(basename "$1" .walk)
	for pb in "$src"/playbooks/*.json; do
		name=$(basename "$pb" .json)
		case "$w" in "$name"-*|"$name")
			[ ${#name} -gt ${#best} ] && best=$name ;;
		esac
	done
	[ -n "$best" ] && echo "$src/playbooks/$best.json"
}

for walk in "$src"/tests/fixtures/walks/*.walk; do
	[ -f "$walk" ] || continue
	n=$((n + 1))
	pb=$(playbook_for "$walk")
	[ -n "$pb" ] || { echo "FAIL: $walk: no playbook for it"; fail=1; continue; }
	scen=""
	case "$(basename "$walk" .walk)" in
	*-scenario-*) scen="--scenario=${walk##*-scenario-}"; scen=${scen%.walk} ;;
	esac
	dir="$tmp/s$n"
	if ! "$bin" drill "$pb" --batch --operator olga --session-dir "$dir" \
		--no-real-in-clone $scen <"$walk" >"$tmp/out" 2>"$tmp/err"; then
		echo "FAIL: $(basename "$walk") did not complete:"
		grep '"type":"error"' "$tmp/out" | head -5
		tail -n 2 "$tmp/err"
		fail=1
		continue
	fi
	"$bin" verify "$dir" >/dev/null || { echo "FAIL: verify $walk"; fail=1; }
done
# Nothing found (a wrong REWIND_SRCDIR, a moved folder) is no pass.
[ $npb -gt 0 ] || { echo "FAIL: no playbook found in $src/playbooks"; fail=1; }
[ $n -gt 0 ] || { echo "FAIL: no walk found in $src/tests/fixtures/walks"; fail=1; }
[ $fail -eq 0 ] && echo "playbooks: $npb checked, $n walks completed"
exit $fail
