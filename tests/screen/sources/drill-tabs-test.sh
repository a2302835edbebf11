#!/bin/sh
# A drill reads no repository and asks no registry: where its scenario
# gives no tags or no registry answer, the Tags and Registry tabs say so
# in words (they once said "Reading tags..." for ever). Checked on the
# bundled default (`rewind` with no arguments: its world's tags, the ones
# its `git tag -l` prints; the tab once said it had none), on a shipped
# playbook whose scenario gives no registry answer, and on the replay of a
# drill.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

# The next-tab key (tab, libscreen): ] in the console, Tab in a replay.
next_tab=]
start_app
assert_text "DRILL"
tab Tags
wait_text "v0.9.0"	# the world's tags, which git tag -l prints too
assert_text "v1.1.0"
refute_text "This drill has no tags"
refute_text "Reading tags"
tab Targets
wait_text "A drill reads none of them"
tab Registry
wait_text "This playbook names no registry package"
keys_nowait q
wait_exit

fresh_server
SESSION_DIR=$SCREEN_TMP/fw
start_app -x 100 -y 30 drill --session-dir "$SESSION_DIR" \
	--scenario import-failures-spike \
	"$REWIND_SRCDIR/playbooks/framework-emergency-rollback.json"
tab Registry
wait_text "no answer in this drill: its scenario"
refute_text "asking the registry"
tab Tags
wait_text "This drill has no tags: its scenario"
keys_nowait q
wait_exit

fresh_server
next_tab=Tab
start_app -x 100 -y 30 replay "$SESSION_DIR"
tab Tags
wait_text "No tags in the journal up to this"
tab Registry
wait_text "no answer in the journal up to this"
refute_text "asking the registry"
pass
