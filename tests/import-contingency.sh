#!/bin/sh
# "If terraform apply left the prod network broken, roll back to:" over a
# block that is no command (HCL) ties no step to its answer: the draft
# must not make it a yes/no decision saying its commands run only when it
# says so. A batch walk answering "no" to every decision, with a fake
# terraform that logs its runs: when the rollback's terraform apply runs,
# no decision of the draft may have claimed to gate it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

mkdir -p "$tmp/fake"
printf '#!/bin/sh\necho "terraform $*" >>"%s/ran.log"\n' "$tmp" \
	>"$tmp/fake/terraform"
chmod +x "$tmp/fake/terraform"
PATH="$tmp/fake:$PATH"
: >"$tmp/ran.log"

cat >"$tmp/net.md" <<'MD'
# Prod network change

## When to roll back

If terraform apply left the prod network broken, roll back to:

```hcl
module "network" { version = "1.4.0" }
```

## Approval

- [ ] Network lead approval obtained

## Roll back

```bash
terraform apply -auto-approve
```
MD
"$bin" import "$tmp/net.md" -o "$tmp/net.json" >/dev/null 2>"$tmp/sum" ||
	fail "import: $(cat "$tmp/sum")"
python3 - "$tmp/net.json" "$tmp/walk.json" "$tmp/actions" "$tmp/claims" <<'PY' ||
import json, sys
pb = json.load(open(sys.argv[1]))
del pb["draft"]
json.dump(pb, open(sys.argv[2], "w"))
claims = open(sys.argv[4], "w")
gated = set()
for ph in pb["phases"]:
    for st in ph["steps"]:
        gated.update(st.get("when", {}).keys())
with open(sys.argv[3], "w") as out:
    for ph in pb["phases"]:
        for st in ph["steps"]:
            k = st["kind"]
            if k == "decide":
                ids = [o["id"] for o in st["options"]]
                out.write('choose %s %s "not broken"\n' %
                          (st["id"], "no" if "no" in ids else ids[-1]))
                if "run only when" in st.get("note", "") and \
                        st["variable"] not in gated:
                    claims.write("%s claims to gate commands no step ties "
                                 "to it\n" % st["id"])
            elif k == "check":
                out.write("tick %s\n" % st["id"])
            elif k == "approve":
                out.write('approve %s "%s" bob ok\n' %
                          (st["id"], st["roles"][0]["role"]))
            elif k == "run":
                if st.get("destructive"):
                    out.write('confirm %s "%s"\n' % (st["id"], st["confirm"]))
                out.write("run %s\n" % st["id"])
        out.write("next\n")
PY
	fail "the draft has no step python could walk"
(cd "$tmp" && "$bin" run "$tmp/walk.json" --batch --operator alice \
	--session-dir "$tmp/s" <"$tmp/actions") >"$tmp/out" 2>&1
if grep -q 'terraform apply' "$tmp/ran.log" && [ -s "$tmp/claims" ]; then
	fail "answering no still ran terraform apply: $(cat "$tmp/claims")"
fi
grep -q 'no command of the draft is tied to it' "$tmp/net.json" ||
	fail "no review point says the condition gates nothing"
[ $failed = 0 ] && echo "import contingency: no decision claims a gate it lacks"
exit $failed
