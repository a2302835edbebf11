#!/bin/sh
# An imported draft in the console: `rewind run` refuses it, `rewind drill`
# walks it, and the step pane shows the selected step's review points with
# the runbook line they came from (here the decision the import made of two
# "Option" sections, line 5 of the runbook below).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/runbook.md" <<'MD'
# Cache rollback

## Rollback

### Option A: Flush the cache (recommended)

```bash
redis-cli FLUSHDB
```

### Option B: Restart the cache

```bash
systemctl restart redis
```
MD
run_rewind import "$SCREEN_TMP/runbook.md" -o "$SCREEN_TMP/draft.json" \
	>/dev/null 2>&1 || fail "rewind import failed"
if run_rewind run "$SCREEN_TMP/draft.json" --batch --operator sam \
	--session-dir "$SCREEN_TMP/live" </dev/null >"$SCREEN_TMP/run.out" 2>&1; then
	fail "rewind run accepted a draft"
fi
grep -q 'is a draft from rewind import' "$SCREEN_TMP/run.out" ||
	fail "rewind run did not say why: $(cat "$SCREEN_TMP/run.out")"

SESSION_DIR=$SCREEN_TMP/session
start_app -x 120 -y 30 drill "$SCREEN_TMP/draft.json" --operator sam \
	--session-dir "$SESSION_DIR"
wait_text 'q quit' 5
keys '>'
assert_fixed 'Rollback: which one?'
assert_fixed 'Review (runbook line 5): the sections from line 5 are'
pass
