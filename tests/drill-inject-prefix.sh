#!/bin/sh
# The game master's --inject takes the start of an injection's id when
# only one id starts so (the confirmation names the whole id), and
# refuses a start two ids share, listing them. web-service-rollback's
# p0-outage, with a second lead-asks-* injection added for the ambiguity.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

python3 - "$src/playbooks/web-service-rollback.json" "$tmp/pb.json" <<'PY'
import json, sys
pb = json.load(open(sys.argv[1]))
sc = next(s for s in pb["scenarios"] if s["id"] == "p0-outage")
extra = dict(next(i for i in sc["inject"] if i["id"] == "lead-asks"))
extra["id"] = "lead-asks-again"
sc["inject"].append(extra)
json.dump(pb, open(sys.argv[2], "w"))
PY
echo quit | "$bin" drill "$tmp/pb.json" --batch --operator sam \
	--scenario p0-outage --no-real-in-clone --session-dir "$tmp/s" \
	>/dev/null 2>&1
n_injects() { grep -c '"type":"drill.inject"' "$tmp/s/journal.jsonl"; }

"$bin" drill --inject "$tmp/s" lead >"$tmp/amb" 2>&1 &&
	fail "an ambiguous start was accepted"
grep -q 'inject lead: more than one .*(lead-asks, lead-asks-again)' "$tmp/amb" ||
	{ cat "$tmp/amb"; fail "the ambiguous start does not list the candidates"; }
[ "$(n_injects)" -eq 0 ] || fail "the ambiguous start fired something"

"$bin" drill --inject "$tmp/s" err >"$tmp/one" 2>&1 ||
	{ cat "$tmp/one"; fail "a unique start was refused"; }
grep -qxF "rewind: injection errors-climb fired in $tmp/s" "$tmp/one" ||
	{ cat "$tmp/one"; fail "the confirmation does not name the whole id"; }
grep '"type":"drill.inject"' "$tmp/s/journal.jsonl" |
	grep -q '"id":"errors-climb"' || fail "errors-climb was not journalled"

# An exact id wins over the longer one it starts.
"$bin" drill --inject "$tmp/s" lead-asks >"$tmp/exact" 2>&1 ||
	{ cat "$tmp/exact"; fail "the exact id lead-asks was refused"; }
grep -qxF "rewind: injection lead-asks fired in $tmp/s" "$tmp/exact" ||
	{ cat "$tmp/exact"; fail "the exact id did not fire lead-asks"; }
"$bin" drill --inject "$tmp/s" nope >"$tmp/none" 2>&1 &&
	fail "an unknown name was accepted"
grep -q 'it has: errors-climb, lead-asks, lead-asks-again' "$tmp/none" ||
	{ cat "$tmp/none"; fail "an unknown name does not list the ids"; }
[ "$failed" = 0 ] && echo "PASS: drill-inject-prefix"
exit $failed
