#!/bin/sh
# A drill step that asks for a prediction says so in the step pane before
# Enter: "you will be asked to predict the output before it runs" (and,
# for a destructive one, that the confirmation comes after); once the
# prediction is given the line goes. A step that asks none says nothing.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/predict.json
cat >"$PB" <<'EOF2'
{
  "id": "predict-told",
  "title": "Screen test: the step pane tells of the prediction",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "assess.version", "kind": "run", "title": "Version deployed",
        "run": "cat VERSION", "predict": true,
        "drill": { "output": "1.2.3" } },
      { "id": "assess.plain", "kind": "run", "title": "Disk free",
        "run": "df -h .", "drill": { "output": "fine" } },
      { "id": "assess.reset", "kind": "run", "title": "Reset the cache",
        "run": "rm -rf cache", "destructive": true, "confirm": "cache",
        "predict": true, "drill": { "output": "" } }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF2
SESSION_DIR=$SCREEN_TMP/s
start_app -x 180 -y 40 drill "$PB" --session-dir "$SESSION_DIR" --operator sam
wait_text 'q quit' 5
TOLD='Drill: you will be asked to predict the output before it runs'
wait_text "$TOLD\$" 5
keys j
wait_text 'df -h' 5
refute_fixed "$TOLD" "a step asking no prediction says one is asked"
keys j
wait_text "$TOLD, then to type the confirmation" 5
keys k k Enter
wait_text '^ +Prediction$' 5
type_text 'ok, 1.2.3'
keys Enter
wait_text 'assess.version  run  done' 5
refute_fixed "$TOLD\$" "the line stays once the prediction is given"
pass "the step pane says a prediction is asked before the step runs"
