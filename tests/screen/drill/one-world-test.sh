#!/bin/sh
# The drill's world agrees with itself, as a trainee sees it in the Tags
# tab after simulated git and gh commands:
# - example: after the simulated `git checkout "tags/v1.3.2"` (the step's
#   own text says "HEAD is now at 9f8e7d6"), the Tags tab marks v1.3.2 as
#   HEAD, no longer v1.4.0, and its header reads "detached @ 9f8e7d6" (it
#   kept HEAD on v1.4.0 before);
# - npm-dist-tag-rollback (critical-outage): `gh release list` lists
#   v1.2.3 (Latest), v1.2.2 and v1.2.1 and the Tags tab lists those tags
#   (it said "no tags" before).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

# walk PLAYBOOK DIR [ARGS]: the actions in $SCREEN_TMP/DIR.walk in batch
# mode (it stops short of complete), then the console on DIR at its Tags
# tab.
walk() {
	SESSION_DIR=$SCREEN_TMP/$2
	pb=$1
	shift 2
	run_rewind drill "$pb" --batch --operator sam --no-real-in-clone \
		--session-dir "$SESSION_DIR" "$@" <"$SESSION_DIR.walk" \
		>"$SESSION_DIR.out" 2>&1
	fresh_server
	start_app -x 140 -y 36 drill "$SESSION_DIR" --operator sam \
		--no-real-in-clone
	wait_text 'q quit'
	tab Tags
}

# --- example: git checkout moves HEAD ------------------------------------------
sed -n '/^run assess.status/,/^run execute.checkout/p' \
	"$REWIND_SRCDIR/playbooks/example.walk" >"$SCREEN_TMP/checkout.walk"
walk "$REWIND_SRCDIR/playbooks/example.json" checkout
grep -q '"step":"execute.checkout","payload":{"ok":true' "$SESSION_DIR.out" ||
	{ cat "$SESSION_DIR.out"; fail "the walk did not run execute.checkout"; }
assert_text '│ detached @ 9f8e7d6 ' "the Tags tab's header is not at the checked-out tag"
assert_text '│ HEAD[A-Z,]* +v1\.3\.2 +9f8e7d6' "v1.3.2 is not marked HEAD after the checkout"
refute_text 'HEAD[A-Z,]* +v1\.4\.0' "v1.4.0 is still marked HEAD after the checkout"

# --- npm: the releases gh lists are the Tags tab's tags -----------------------------
printf '%s\n' 'run assess.releases' >"$SCREEN_TMP/npm.walk"
walk "$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" npm \
	--scenario critical-outage
grep -q '"step":"assess.releases","payload":{"ok":true.*"tail":"v1.2.3\\tLatest\\tv1.2.3\\t[^"]*\\nv1.2.2\\t\\tv1.2.2\\t[^"]*\\nv1.2.1\\t\\tv1.2.1' \
	"$SESSION_DIR.out" ||
	{ cat "$SESSION_DIR.out"; fail "gh release list does not list v1.2.3, v1.2.2, v1.2.1"; }
refute_text 'no tags' "the Tags tab says there are no tags"
for t in v1.2.3 v1.2.2 v1.2.1; do
	assert_text "│ (.* )?$(echo "$t" | sed 's/\./\\./g') " "the Tags tab does not list $t, a release gh lists"
done
pass "the Tags tab follows a simulated checkout and lists the tags gh's releases name"
