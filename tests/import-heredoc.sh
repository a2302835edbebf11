#!/bin/sh
# A credential written out in a quoted here-document (cat > FILE <<'EOF')
# becomes a secret input, and the draft's here-document must let the
# shell expand it: a live batch walk of the draft (its author having
# removed "draft": true) with the secret given writes the real value into
# the file, and the body's other $, ` and \ as the runbook wrote them.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pypi.md" <<'MD'
# Write the upload credentials

## Configure credentials

```bash
cat > "$HOME/pypirc" <<'EOF'
[pypi]
username = __token__
password = pypi-AgEIcHlwaS5vcmcCJGE0ZjQ4YjZlLTI3ZDEtNDM5Yy1hZmFkLWY1ZjQ2YzA3ZWI2NQ
# kept as written: $USER `date` \n
EOF
```
MD
"$bin" import "$tmp/pypi.md" -o "$tmp/pypi.json" 2>"$tmp/sum" ||
	fail "import: $(cat "$tmp/sum")"
grep -q 'quotes the here-document.s delimiter.*only \${PYPI_TOKEN} expands' \
	"$tmp/pypi.json" || fail "no review point says the delimiter was unquoted"
python3 - "$tmp/pypi.json" "$tmp/walk.json" "$tmp/actions" <<'PY' ||
import json, sys
pb = json.load(open(sys.argv[1]))
del pb["draft"]
json.dump(pb, open(sys.argv[2], "w"))
with open(sys.argv[3], "w") as out:
    for ph in pb["phases"]:
        for st in ph["steps"]:
            if st["kind"] == "input":
                out.write('set %s "tok-Real_123"\n' % st["variable"])
            elif st["kind"] == "approve":
                out.write('approve %s "%s" bob ok\n' %
                          (st["id"], st["roles"][0]["role"]))
            elif st["kind"] == "run":
                if st.get("destructive"):
                    out.write('confirm %s "%s"\n' % (st["id"], st["confirm"]))
                out.write("run %s\n" % st["id"])
        out.write("next\n")
PY
	fail "the draft has no step python could walk"
mkdir -p "$HOME"
"$bin" run "$tmp/walk.json" --batch --operator alice --session-dir "$tmp/s" \
	<"$tmp/actions" >"$tmp/out" 2>&1 || fail "the walk failed: $(tail -3 "$tmp/out")"
grep -qx 'password = tok-Real_123' "$HOME/pypirc" ||
	fail "the file does not hold the secret's value: $(cat "$HOME/pypirc")"
grep -qxF '# kept as written: $USER `date` \n' "$HOME/pypirc" ||
	fail "the body's other \$, \` or \\ changed: $(cat "$HOME/pypirc")"
grep -q 'tok-Real_123' "$tmp/s/journal.jsonl" && fail "the secret is in the journal"
[ $failed = 0 ] && echo "import heredoc: the quoted here-document writes the secret"
exit $failed
