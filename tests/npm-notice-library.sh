#!/bin/sh
# The npm playbook's rollback notice: for a library (PACKAGE_KIND=library)
# it tells projects to update their dependency and never to run
# `npm install -g`; for the command (cli) it keeps the global install.
# Either is written to the session folder (messages/), never into the
# working tree the console runs from (no incidents/ folder appears).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
mkdir -p "$tmp/repo"
cd "$tmp/repo" || exit 99
# The walks say how the session goes; run them as a commander would.
walk() {	# walk NAME WALKFILE
	"$bin" drill "$pb" --batch --operator olga --session-dir "$tmp/$1" \
		--no-real-in-clone <"$2" >"$tmp/$1.out" 2>"$tmp/$1.err" ||
		{ fail "the $1 walk did not complete: $(tail -n 3 "$tmp/$1.err")"; return 1; }
}
walk lib "$src/tests/fixtures/walks/npm-dist-tag-rollback-library.walk" &&
{
	f=$tmp/lib/messages/rollback-notice.md
	[ -f "$f" ] || fail "no rollback notice in the session folder: $(ls -R "$tmp/lib" | head -20)"
	grep -q 'install -g' "$f" && fail "the library's notice tells users to npm install -g: $(grep 'install' "$f")"
	grep -q '^    npm install mycelicmemory@latest$' "$f" ||
		fail "the library's notice does not say how a project updates: $(cat "$f")"
}
walk cli "$src/tests/fixtures/walks/npm-dist-tag-rollback-immediate-rollback.walk" &&
	grep -q '^    npm install -g mycelicmemory@latest$' "$tmp/cli/messages/rollback-notice.md" ||
	fail "the command's notice lost its global install"
[ -e "$tmp/repo/incidents" ] && fail "the notice was written into the working tree (incidents/)"
# A live session writes the folder copy a drill skips: the playbook names
# none, so the notice stays in the session folder.
python3 - "$pb" <<'PY' || fail "a notice step still names a folder in the working tree"
import json, sys
pb = json.load(open(sys.argv[1]))
sys.exit(any("folder" in st for ph in pb["phases"] for st in ph["steps"]
             if st["id"].startswith("communicate.notice")))
PY
exit $failed
