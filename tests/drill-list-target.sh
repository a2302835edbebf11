#!/bin/sh
# A scenario's own recovery-time target ("rto", e.g. the web service's
# p0-outage: 8 minutes) is in both listings: the game master's
# (--list-scenarios --game-master) gives it with its rto_label; the
# trainee's (--list-scenarios) gives it under the briefing, as the
# console's clock shows it from the start, without the label, which may
# name the severity the trainee is to work out ("P0 drill"). A scenario
# without its own target lists none (the playbook's targets_rto depend on
# the trainee's answers).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

n=0
for pb in "$src"/playbooks/*.json; do
	case "$pb" in */schema.json) continue ;; esac
	name=$(basename "$pb")
	"$bin" drill --list-scenarios "$pb" >"$tmp/trainee" 2>&1 ||
		{ fail "$name: --list-scenarios failed"; continue; }
	"$bin" drill --list-scenarios --game-master "$pb" >"$tmp/gm" 2>&1 ||
		{ fail "$name: --game-master failed"; continue; }
	python3 - "$pb" "$tmp/trainee" "$tmp/gm" >"$tmp/why" 2>&1 <<'PY' ||
import json, re, sys
d = json.load(open(sys.argv[1]))
def blocks(path, head):
    out, cur = [], None
    for line in open(path).read().splitlines():
        if not line.startswith(" "):
            cur = [line]
            out.append(cur)
        elif cur is not None:
            cur.append(line)
    return out
trainee, gm = blocks(sys.argv[2], 1), blocks(sys.argv[3], 1)
def secs(text):
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?|(\d+)", text)
    h, mi, s, plain = m.groups()
    return int(plain) if plain else int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0)
bad, n = [], 0
for k, sc in enumerate(d.get("scenarios", []), 1):
    t = [l.strip() for l in trainee[k - 1][1:]]
    g = [l.strip() for l in gm[k - 1][1:]]
    assert trainee[k - 1][0].startswith("%d\t" % k), trainee[k - 1]
    assert gm[k - 1][0].startswith(sc["id"] + "\t"), gm[k - 1]
    tt = [l for l in t if l.startswith("recovery-time target:")]
    gt = [l for l in g if l.startswith("recovery-time target:")]
    if "rto" not in sc:
        if tt or gt:
            bad.append("%s: a target without rto: %s" % (sc["id"], tt + gt))
        continue
    n += 1
    s = secs(sc["rto"])
    dur = "%dm" % (s // 60) if s % 60 == 0 else "%dm%02ds" % (s // 60, s % 60)
    want_t = "recovery-time target: %s from the drill's start to a verified recovery" % dur
    want_g = "recovery-time target: %s" % dur + (" (%s)" % sc["rto_label"] if sc.get("rto_label") else want_t[len("recovery-time target: " + dur):])
    if tt != [want_t]:
        bad.append("%s: the trainee sees %r, not %r" % (sc["id"], tt, want_t))
    if gt != [want_g]:
        bad.append("%s: the game master sees %r, not %r" % (sc["id"], gt, want_g))
    if sc.get("rto_label") and sc["rto_label"] in open(sys.argv[2]).read():
        bad.append("%s: the trainee sees the target's label" % sc["id"])
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(n)
PY
	{ fail "$name: $(cat "$tmp/why")"; continue; }
	n=$((n + $(cat "$tmp/why")))
done
[ "$n" -gt 0 ] || fail "no shipped scenario has its own recovery-time target"
[ "$failed" = 0 ] && echo "PASS: drill-list-target ($n scenario(s) with a target)"
exit "$failed"
