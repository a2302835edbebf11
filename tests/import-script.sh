#!/bin/sh
# A block the import keeps whole (one script: its commands share the
# shell) stops at its first failing command: a batch walk of the draft,
# with a fake git whose revert fails and a fake terraform that logs what
# it is asked, fails the step at the revert and never plans nor applies.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

mkdir -p "$tmp/fake" "$tmp/w/infra/edge"
printf '#!/bin/sh\necho "git $*" >>"%s/ran.log"\nexit 1\n' "$tmp" \
	>"$tmp/fake/git"
printf '#!/bin/sh\necho "terraform $*" >>"%s/ran.log"\n' "$tmp" \
	>"$tmp/fake/terraform"
chmod +x "$tmp/fake/git" "$tmp/fake/terraform"
PATH="$tmp/fake:$PATH"

cat >"$tmp/edge.md" <<'MD'
# Roll back the edge config

## Roll back

```bash
cd infra/edge
git revert --no-edit 4f2a9c1
terraform plan -out=rollback.plan
terraform apply rollback.plan
```
MD

"$bin" import "$tmp/edge.md" -o "$tmp/edge.json" >/dev/null 2>"$tmp/sum" ||
	fail "import: $(cat "$tmp/sum")"
python3 - "$tmp/edge.json" "$tmp/walk.json" "$tmp/actions" <<'PY' ||
import json, sys
pb = json.load(open(sys.argv[1]))
del pb["draft"]
json.dump(pb, open(sys.argv[2], "w"))
runs = [st for ph in pb["phases"] for st in ph["steps"] if st["kind"] == "run"]
assert len(runs) == 1 and "git revert" in runs[0]["run"] and \
    "terraform apply" in runs[0]["run"], "the block is not one script"
with open(sys.argv[3], "w") as out:
    for ph in pb["phases"]:
        for st in ph["steps"]:
            if st["kind"] == "approve":
                out.write('approve %s "%s" bob ok\n' %
                          (st["id"], st["roles"][0]["role"]))
            elif st["kind"] == "run":
                if st.get("destructive"):
                    out.write('confirm %s "%s"\n' % (st["id"], st["confirm"]))
                out.write("run %s\n" % st["id"])
        out.write("next\n")
PY
	fail "the draft does not keep the block as one script"
(cd "$tmp/w" && "$bin" run "$tmp/walk.json" --batch --operator alice \
	--session-dir "$tmp/s" <"$tmp/actions") >"$tmp/out" 2>&1
grep -qxF "git revert --no-edit 4f2a9c1" "$tmp/ran.log" ||
	fail "the revert did not run: $(cat "$tmp/ran.log" "$tmp/out")"
grep -q "^terraform" "$tmp/ran.log" &&
	fail "the script went on after the failed revert: $(cat "$tmp/ran.log")"
grep -q '"state":"failed"' "$tmp/out" ||
	fail "the step did not fail: $(tail -5 "$tmp/out")"
[ $failed = 0 ] && echo "import script: a kept script stops at its first failure"
exit $failed
