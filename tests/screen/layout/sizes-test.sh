#!/bin/sh
# Layouts by terminal size: 80x24 (the side tabs share the right-hand
# column), 200x60 (the step pane on top and the output tabs below it,
# beside the checklist), 50x12 ("terminal too small"), and back to 80x24,
# which must redraw cleanly with the side tab chosen last. Each screen is
# checked as soon as the app has drawn it for the new size (and gone
# idle), not after a later redraw.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SESSION_DIR" --operator sam
keys Enter				# run assess.status: some output to show

screen_80x24() {
	expect_screen "$1" <<'SCREEN'
 DRILL  TEST MODE  Example: roll a web service ba…  1.4.0 → ?  MmSSs of 10m RTO
 ▶ assess MmSSs of 2m  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  1/5             │[Step]  Out   Jrnl   Tgt   Tags   Reg
[✓] See what is deployed … sam hh:mm│ See what is deployed and whether the
[ ] List the most recent release t… │ tree is clean
[ ] Rate the severity               │ assess.status  run  done
[ ] Estimate the impact             │ Command:
[ ] Incident ticket opened and lin… │   git status --short && git log
                                    │ --oneline -5
                                    │ Last run: ok
                                    │ a1b2c3d (HEAD, tag: v1.4.0) Release 1.4.0
                                    │ 9f8e7d6 (tag: v1.3.2) Release 1.3.2
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
 assess.status done
 Enter act ? help q quit Tab pane m note
SCREEN
}
screen_80x24 80x24

# 200x60: the step pane fills the top half of the right-hand side, the
# Output/Journal/Targets tabs the bottom half (Output first). Checked: the
# header, rail and top of both columns (rows 1-12), the seam between the
# step pane and the tabs (rows 29-36), and the status and key bars.
resize 200 60
expect_screen 200x60-top 1 12 <<'EOF'
 DRILL  TEST MODE  Example: roll a web service back to its last good tag                                                                                                    1.4.0 → ?  MmSSs of 10m RTO
 ▶ assess MmSSs of 2m  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  1/5                                                         │ Step
[✓] See what is deployed and whether the tree is clean                 sam hh:mm│ See what is deployed and whether the tree is clean
[ ] List the most recent release tags                                           │ assess.status  run  done
[ ] Rate the severity                                                           │ Command:
[ ] Estimate the impact                                                         │   git status --short && git log --oneline -5
[ ] Incident ticket opened and linked                                           │ Last run: ok
                                                                                │ a1b2c3d (HEAD, tag: v1.4.0) Release 1.4.0
                                                                                │ 9f8e7d6 (tag: v1.3.2) Release 1.3.2
                                                                                │
                                                                                │
EOF
expect_screen 200x60-seam 29 36 <<'EOF'
                                                                                │
                                                                                │
                                                                                │[Output]  Journal   Targets   Tags   Registry
                                                                                │ ▶ assess.status  started hh:mm:ss  git status --short && git log --oneline -5
                                                                                │ a1b2c3d (HEAD, tag: v1.4.0) Release 1.4.0
                                                                                │ 9f8e7d6 (tag: v1.3.2) Release 1.3.2
                                                                                │ ■ assess.status  exit 0 after D at hh:mm:ss
                                                                                │
EOF
expect_screen 200x60-bars 59 60 <<'EOF'
 assess.status done
 Enter act ? help q quit Tab pane m note
EOF
# Side by side, ] cycles only the lower tabs; the step pane stays.
keys ']'
expect_screen 200x60-journal 31 35 <<'EOF'
                                                                                │ Output  [Journal]  Targets   Tags   Registry
                                                                                │ hh:mm:ss session.started                             sam
                                                                                │ hh:mm:ss var.set              CURRENT_VERSION        rewind
                                                                                │ hh:mm:ss step.started         assess.status          sam
                                                                                │ hh:mm:ss step.finished        assess.status          sam
EOF
assert_fixed '│ See what is deployed and whether the tree is clean'
keys '['

# 50x12: too small, and said so in the middle.
resize 50 12
expect_screen 50x12 <<'EOF'






                terminal too small
need at least 60x16
EOF
app_alive || fail "the app died at 50x12"

# Back to 80x24: nothing left over, and the side tab is the one chosen
# last: ] and [ on the wide screen cycle Output/Journal/Targets, so [
# left Output chosen (Step stays Step only while no other tab is chosen).
resize 80 24
expect_screen 80x24-again <<'EOF'
 DRILL  TEST MODE  Example: roll a web service ba…  1.4.0 → ?  MmSSs of 10m RTO
 ▶ assess MmSSs of 2m  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  1/5             │ Step  [Output]  Jrnl   Tgt   Tags   Reg
[✓] See what is deployed … sam hh:mm│ ▶ assess.status  started hh:mm:ss  git sta
[ ] List the most recent release t… │ a1b2c3d (HEAD, tag: v1.4.0) Release 1.4.0
[ ] Rate the severity               │ 9f8e7d6 (tag: v1.3.2) Release 1.3.2
[ ] Estimate the impact             │ ■ assess.status  exit 0 after D at hh:mm:ss
[ ] Incident ticket opened and lin… │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
 assess.status done
 Enter act ? help q quit Tab pane m note
EOF

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
pass "80x24, 200x60, 50x12 and back"
