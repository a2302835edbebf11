#!/bin/sh
# rewind watch shows the recovery-time target as it is now: when another
# process's input moves it, the watcher's header counts against the new
# target and its status line says so; the next thing the other process
# does replaces that line (a watcher presses no key, so an alert held
# until the next key stood there for good); when the target moves again,
# the status line says the new one.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "watch-rto",
  "title": "A decision moves the RTO",
  "variables": { "LEVEL": { "prompt": "Incident level", "pattern": "(level-1|level-2)" } },
  "targets_rto": {
    "default": "10m",
    "rules": [ { "when": { "LEVEL": "level-1" }, "within": "5m", "label": "level 1: restore within 5 minutes" } ]
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "assess.level", "kind": "input", "title": "Which level?",
        "variable": "LEVEL" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
# LINE: one action by another process (the session stays incomplete, so
# batch mode's exit status says so; the journal says whether it was done).
batch() {
	n=$(journal_count "$2")
	echo "$1" | run_rewind run "$SESSION_DIR" --batch --operator olga \
		>>"$SCREEN_TMP/batch.out" 2>&1
	[ "$(journal_count "$2")" -gt "$n" ] ||
		{ cat "$SCREEN_TMP/batch.out"; fail "batch '$1' did nothing"; }
}
echo "note starting" | run_rewind run --batch --session-dir "$SESSION_DIR" \
	--operator olga "$SCREEN_TMP/pb.json" >"$SCREEN_TMP/batch.out" 2>&1
[ "$(journal_count note.added)" = 1 ] || { cat "$SCREEN_TMP/batch.out"; fail "no session"; }
start_app -x 100 -y 30 watch "$SESSION_DIR"
wait_text ' of 10m RTO$'
batch "set LEVEL level-1" var.set
wait_text ' of 5m RTO$' 3
# The alert, unless the batch's end has already put the newer truth there
# ("no console is driving this session since ..."): both are true.
assert_text 'recovery-time target now 5m \(was 10m\): level 1|no console is driving this session since|the console ended at the end of its input'
# What the other process does next replaces it: a watcher presses no key,
# so an old RTO alert must not stay on the status line.
batch "note checked the dashboards" note.added
wait_gone 'recovery-time target now 5m \(was 10m\)' 3
assert_text ' of 5m RTO$'
batch "set LEVEL level-2" var.set
wait_text ' of 10m RTO$' 3
assert_text 'recovery-time target now 10m \(was 5m\)|no console is driving this session since|the console ended at the end of its input'
pass
