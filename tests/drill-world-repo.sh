#!/bin/sh
# One world per drill: where the drill's world gives the repository (its
# tags and HEAD), the git steps that opt in to run in a throwaway clone
# read that world instead of a clone of the operator's own repository.
# A trainee ran web-service-rollback's first scenario in a repository with
# one commit tagged v1.0.0: assess.current printed v1.0.0 (the clone)
# while the Tags tab and the alerts said HEAD was v1.1.0, and the score
# card quoted "the drill showed: v1.1.0", which the trainee never saw.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
src=$(cd "$src" && pwd)
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
walk=$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk

repo=$tmp/repo
git init -q "$repo" && cd "$repo" &&
	git -c user.name=t -c user.email=t@example.invalid commit -q \
		--allow-empty -m init && git tag v1.0.0 ||
	{ echo "FAIL: drill-world-repo: cannot make the repository"; exit 99; }
"$bin" drill "$src/playbooks/web-service-rollback.json" --batch \
	--operator olga --session-dir "$tmp/s" --scenario 1 <"$walk" \
	>"$tmp/out" 2>&1 || fail "the walk did not complete: $(tail -3 "$tmp/out")"
python3 - "$tmp/s/journal.jsonl" "$tmp/s/scorecard.json" >"$tmp/res" 2>&1 <<'PY' || fail "$(cat "$tmp/res")"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
state = None
for e in evs:
    if e["type"] == "session.started":
        pass
# The world's HEAD: what the Tags tab shows (the playbook's drill.state).
pb = json.load(open(sys.argv[1].replace("journal.jsonl", "playbook.json")))
tags = pb["drill"]["state"]["tags"]
head = [t["name"] for t in tags if isinstance(t, dict) and t.get("head")][0]
def last(kind, step):
    return [e for e in evs if e["type"] == kind and e["step"] == step][-1]
cur = last("step.finished", "assess.current")["payload"]["tail"]
assert cur.splitlines()[0] == head, "assess.current printed %r, the world's HEAD is %s" % (cur, head)
started = last("step.started", "assess.current")["payload"]
assert not started.get("real_in_clone"), started
assert "world gives the repository" in started.get("clone", ""), started
show = last("step.finished", "execute.show-head")["payload"]["tail"]
assert "init" not in show, "execute.show-head showed the operator's repository: %r" % show
card = json.load(open(sys.argv[2]))
shown = "\n".join(e["payload"].get("tail", "") for e in evs if e["type"] == "step.finished")
for a in card.get("answers", []):
    ev = a.get("evidence")
    if a.get("name") == "CURRENT_TAG":
        assert ev and ev in shown, "the card quotes %r, never shown: %r" % (ev, shown)
print("assess.current printed %s, the world's HEAD" % cur.splitlines()[0])
PY
[ "$failed" = 0 ] && echo "PASS: drill-world-repo: $(cat "$tmp/res")"
exit "$failed"
