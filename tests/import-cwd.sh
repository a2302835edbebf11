#!/bin/sh
# A `cd DIR` in one step of a runbook is carried to the steps after it
# (each step runs in its own shell): a batch walk of the draft, with fake
# terraform, pip, python and twine that log the directory they run in,
# runs every later command in DIR, not in the console's directory.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

mkdir -p "$tmp/fake" "$tmp/w/infra/prod-network" "$HOME/src/acme-sdk" \
	"$tmp/w/infra/edge/plans"
echo edge-plan-7 >"$tmp/w/infra/edge/plans/previous.tfplan"
for tool in terraform pip python twine; do
	printf '#!/bin/sh\necho "%s $*: $(pwd)" >>"%s/cwd.log"\n' \
		"$tool" "$tmp" >"$tmp/fake/$tool"
	chmod +x "$tmp/fake/$tool"
done
echo 'version = "2.4.2"' >"$HOME/src/acme-sdk/pyproject.toml"
PATH="$tmp/fake:$PATH"

cat >"$tmp/tf.md" <<'MD'
# Roll back the prod network

## Assess

```bash
cd infra/prod-network
terraform state list
```

## Execute

```bash
terraform plan
```

```bash
terraform apply -auto-approve
```
MD
cat >"$tmp/sdk.md" <<'MD'
# Yank a bad SDK release

1. Check the current release:
   ```bash
   pip index versions acme-sdk
   ```
2. Go to the source:
   ```bash
   cd ~/src/acme-sdk
   ```
3. Set the version back:
   ```bash
   sed -i 's/^version = .*/version = "2.4.1"/' pyproject.toml
   ```
4. Build it:
   ```bash
   python -m build
   ```
5. Upload it:
   ```bash
   twine upload dist/*
   ```
MD

# The cd in prose (inline code), the relative paths in later steps.
cat >"$tmp/edge.md" <<'MD'
# Roll back the edge config

## Prepare

From the repository root, `cd infra/edge`.

## Roll back

```bash
terraform apply -auto-approve ./plans/previous.tfplan
```

## Verify

```bash
cat ./plans/previous.tfplan
```
MD

# walk NAME: import $tmp/NAME.md and walk its draft in batch from $tmp/w
walk() {
	"$bin" import "$tmp/$1.md" -o "$tmp/$1.json" >/dev/null 2>"$tmp/sum" ||
		fail "$1: import: $(cat "$tmp/sum")"
	python3 - "$tmp/$1.json" "$tmp/$1-walk.json" "$tmp/$1-actions" <<'PY' ||
import json, sys
pb = json.load(open(sys.argv[1]))
del pb["draft"]
json.dump(pb, open(sys.argv[2], "w"))
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
		fail "$1: the draft has no step python could walk"
	(cd "$tmp/w" && "$bin" run "$tmp/$1-walk.json" --batch --operator alice \
		--session-dir "$tmp/s-$1" <"$tmp/$1-actions") >"$tmp/out" 2>&1 ||
		fail "$1: the walk failed: $(tail -3 "$tmp/out")"
}

walk tf
grep -q '`cd infra/prod-network`: the runbook runs the steps after' \
	"$tmp/tf.json" || fail "no review point on the step with the cd"
for cmd in 'terraform state list' 'terraform plan' \
	'terraform apply -auto-approve'; do
	grep -qxF "$cmd: $tmp/w/infra/prod-network" "$tmp/cwd.log" ||
		fail "\`$cmd\` did not run in infra/prod-network: $(cat "$tmp/cwd.log")"
done
: >"$tmp/cwd.log"
walk sdk
grep -qxF "pip index versions acme-sdk: $tmp/w" "$tmp/cwd.log" ||
	fail "the step before the cd moved: $(cat "$tmp/cwd.log")"
for cmd in 'python -m build' 'twine upload dist/*'; do
	grep -qxF "$cmd: $HOME/src/acme-sdk" "$tmp/cwd.log" ||
		fail "\`$cmd\` did not run in ~/src/acme-sdk: $(cat "$tmp/cwd.log")"
done
grep -qx 'version = "2.4.1"' "$HOME/src/acme-sdk/pyproject.toml" ||
	fail "sed did not edit ~/src/acme-sdk/pyproject.toml"
: >"$tmp/cwd.log"
walk edge
grep -qxF "terraform apply -auto-approve ./plans/previous.tfplan: \
$tmp/w/infra/edge" "$tmp/cwd.log" ||
	fail "terraform did not run in infra/edge: $(cat "$tmp/cwd.log")"
grep -q 'edge-plan-7' "$tmp/out" ||
	fail "./plans/previous.tfplan did not resolve in the verify step"
grep -q '`cd infra/edge`: the runbook runs the steps after' "$tmp/edge.json" ||
	fail "no review point on the prose that says cd"
[ $failed = 0 ] && echo "import cwd: a cd is carried to the later steps"
exit $failed
