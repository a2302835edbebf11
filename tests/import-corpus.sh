#!/bin/sh
# The import corpus (tests/fixtures/import/corpus/*.md, runbooks of our own
# in the shapes teams write): each imports to exactly its checked-in golden
# playbook (NAME.json beside it), and every decision path of each draft is
# walked in drill batch mode (tests/import-walk.py), asserting that only
# shell reaches a run step and no destructive step runs before an approval.
# REWIND_UPDATE_GOLDEN=1 rewrites the goldens instead (then read the diff).
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
corpus=$src/tests/fixtures/import/corpus
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC
fail=0 n=0 walk=1

if ! command -v python3 >/dev/null 2>&1; then
	[ "${REWIND_REQUIRE_SCREEN_TESTS:-0}" = 1 ] &&
		{ echo "FAIL: python3 is needed to walk the drafts"; exit 1; }
	echo "note: no python3: the drafts are compared, not walked"
	walk=0
fi

for md in "$corpus"/*.md; do
	[ -f "$md" ] || continue
	n=$((n + 1))
	name=$(basename "$md" .md)
	(cd "$corpus" && "$bin" import "$name.md" -o "$tmp/$name.json") \
		>/dev/null 2>"$tmp/$name.err" ||
		{ echo "FAIL: import $name.md: $(cat "$tmp/$name.err")"; fail=1; continue; }
	if [ "${REWIND_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/$name.json" "$corpus/$name.json"
	elif ! diff -u "$corpus/$name.json" "$tmp/$name.json" >"$tmp/diff"; then
		echo "FAIL: $name.md does not import to $name.json:"
		head -n 40 "$tmp/diff"
		fail=1
	fi
	# Valid, and no warning but the one every draft carries.
	"$bin" check "$tmp/$name.json" >"$tmp/check.out" 2>&1 ||
		{ echo "FAIL: rewind check $name.json"; fail=1; }
	if grep 'warning:' "$tmp/check.out" | grep -v ': draft: warning:' |
		grep .; then
		echo "FAIL: rewind check warns on $name.json"
		fail=1
	fi
	if [ $walk = 1 ]; then
		mkdir -p "$tmp/walk-$name"
		python3 "$src/tests/import-walk.py" "$bin" "$tmp/$name.json" \
			"$tmp/walk-$name" >"$tmp/walk.out" 2>&1 ||
			{ cat "$tmp/walk.out"; fail=1; }
	fi
done
[ $n -ge 25 ] || { echo "FAIL: only $n runbooks in $corpus"; fail=1; }
[ $fail = 0 ] && echo "import corpus: $n runbooks imported and walked"
exit $fail
