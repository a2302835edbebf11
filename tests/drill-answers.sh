#!/bin/sh
# Answers kept from the trainee: `rewind drill --list-scenarios` gives each
# shipped scenario's number and briefing and nothing a good operator is
# meant to work out (no id or title such as "cosmetic-typo", no expected
# option, no rationale, no injection); with --game-master the same listing
# carries all of them. --scenario takes the number, and the journal keeps
# the id for reviewers.
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

for pb in "$src"/playbooks/*.json; do
	case "$pb" in */schema.json) continue ;; esac
	name=$(basename "$pb")
	"$bin" drill --list-scenarios "$pb" >"$tmp/trainee" 2>&1 ||
		{ echo "FAIL: $name: --list-scenarios failed"; fail=1; continue; }
	"$bin" drill --list-scenarios --game-master "$pb" >"$tmp/gm" 2>&1 ||
		{ echo "FAIL: $name: --game-master failed"; fail=1; continue; }
	# Each scenario: its expected option and its injections' ids, from the
	# playbook itself, must stay out of the trainee's listing.
	python3 - "$pb" >"$tmp/answers" <<'PY' || { echo "FAIL: $name: cannot read"; fail=1; continue; }
import json, sys
d = json.load(open(sys.argv[1]))
for k, sc in enumerate(d.get("scenarios", []), 1):
    e = sc.get("expect")
    print("%d\t%s\t%s\t%s\t%s\t%s" % (k, sc["id"], sc["title"],
                              e["step"] if e else "",
                              e["option"] if e else "",
                              " ".join(i["id"] for i in sc.get("inject", []))))
PY
	while IFS='	' read -r k id title step option injects; do
		n=$((n + 1))
		line=$(grep "^$k	" "$tmp/trainee")
		[ -n "$line" ] || { echo "FAIL: $name: $id not listed as $k"; fail=1; }
		grep -F -e "$id" "$tmp/trainee" >/dev/null &&
			{ echo "FAIL: $name: the trainee sees scenario id $id"; fail=1; }
		grep -F -e "$title" "$tmp/trainee" >/dev/null &&
			{ echo "FAIL: $name: the trainee sees the title of $id"; fail=1; }
		case "$line" in
		*"(no briefing"*) echo "FAIL: $name: $id has no briefing"; fail=1 ;;
		esac
		if [ -n "$step" ] && grep -F -e "$step" "$tmp/trainee" >/dev/null; then
			echo "FAIL: $name: the trainee sees decide step $step"; fail=1
		fi
		grep -F "expect" "$tmp/trainee" >/dev/null &&
			{ echo "FAIL: $name: the trainee sees an expectation"; fail=1; }
		for i in $injects; do
			grep -F -e "$i" "$tmp/trainee" >/dev/null &&
				{ echo "FAIL: $name: the trainee sees injection $i"; fail=1; }
			grep -F -e "inject $i " "$tmp/gm" >/dev/null ||
				{ echo "FAIL: $name: the game master misses injection $i"; fail=1; }
		done
		# The game master's line holds the injection count, 0 included.
		count=$(echo $injects | wc -w)
		grep -E "^$id	.*	$count injections?\$" "$tmp/gm" >/dev/null ||
			{ echo "FAIL: $name: $id's game master line lacks \"$count injection(s)\""; fail=1; }
		if [ -n "$step" ]; then
			grep -F -e "$id	" "$tmp/gm" | grep -F -e "expect $step = $option" >/dev/null ||
				{ echo "FAIL: $name: the game master misses $id's answer"; fail=1; }
		fi
	done <"$tmp/answers"
done
# A briefing states symptoms, never what to do: no "roll ... back", no
# expected option's id or label.
python3 - "$src"/playbooks/*.json >"$tmp/told" <<'PY' || { cat "$tmp/told"; fail=1; }
import json, re, sys
bad = []
for p in sys.argv[1:]:
    if p.endswith("schema.json"):
        continue
    d = json.load(open(p))
    labels = {}
    for ph in d["phases"]:
        for st in ph["steps"]:
            for o in st.get("options", []):
                labels[(st["id"], o["id"])] = o.get("label", "")
    for k, sc in enumerate(d.get("scenarios", []), 1):
        b = (sc.get("briefing") or "").lower()
        e = sc.get("expect") or {}
        told = re.search(r"\broll (the |it |them |everything )?[a-z -]{0,30}\bback\b", b)
        opt = e.get("option", "").lower()
        label = labels.get((e.get("step"), e.get("option")), "").lower()
        if told or (len(opt) > 3 and re.search(r"\b%s\b" % re.escape(opt), b)) \
                or (label and label in b):
            bad.append("%s scenario %d (%s): the briefing tells the answer: %s"
                       % (d["id"], k, sc["id"], sc.get("briefing")))
if bad:
    print("FAIL: " + "\nFAIL: ".join(bad))
    sys.exit(1)
PY
# An injection says what changes in the world, not only which part.
"$bin" drill --list-scenarios --game-master \
	"$src/playbooks/pypi-release-recovery.json" | grep -qF \
	'inject yank-lags (after execute.yank): alert: Index status page: simple-index answers for bitfinex-maker-kit are served from cache and refresh within minutes; the world changes: registry.bitfinex-maker-kit.versions.1.4.0.yanked becomes true' ||
	{ echo "FAIL: the yank-lags injection does not say what changes"; fail=1; }
# The trainee starts a scenario by its number; the journal keeps its id.
printf 'quit\n' | HOME=$tmp "$bin" drill "$src/playbooks/example.json" --batch \
	--operator olga --session-dir "$tmp/by-number" --scenario 2 \
	>"$tmp/by-number.out" 2>&1
grep -q '"type":"session.started".*"scenario":"restart-fails"' \
	"$tmp/by-number/journal.jsonl" 2>/dev/null ||
	{ echo "FAIL: --scenario 2 did not start scenario restart-fails"; fail=1; }
printf 'quit\n' | HOME=$tmp "$bin" drill "$src/playbooks/example.json" --batch \
	--operator olga --session-dir "$tmp/by-3" --scenario 3 \
	>"$tmp/by-3.out" 2>&1 &&
	{ echo "FAIL: --scenario 3 of 2 was accepted"; fail=1; }
[ $n -gt 0 ] || { echo "FAIL: no scenario found"; fail=1; }
[ $fail -eq 0 ] && echo "drill answers: $n scenarios, briefings only without --game-master"
exit $fail
