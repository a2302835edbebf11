#!/bin/sh
# The option a runbook recommends ("Option A: ... (recommended)") is the
# draft's recommended option, shown as the shipped playbooks show a
# matrix's: a live run's decision dialog opens on it, marked
# "(recommended)"; a drill's opens with nothing selected and no mark (the
# trainee decides unprompted), and neither shows the runbook's words
# "(recommended)" in the option's label.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/runbook.md" <<'MD'
# Cache rollback

## Rollback

### Option A: Restart the cache

```bash
systemctl restart redis
```

### Option B: Flush the cache (recommended)

```bash
redis-cli FLUSHDB
```
MD
run_rewind import "$SCREEN_TMP/runbook.md" -o "$SCREEN_TMP/draft.json" \
	>/dev/null 2>&1 || fail "rewind import failed"
# the author's review is done: the live run takes it
sed '/"draft":/d' "$SCREEN_TMP/draft.json" >"$SCREEN_TMP/live.json"

start_app -x 120 -y 30 drill "$SCREEN_TMP/draft.json" --operator sam \
	--session-dir "$SCREEN_TMP/drill"
wait_text 'q quit' 5
keys '>'
assert_fixed 'Rollback: which one?'
keys Enter
assert_fixed 'Decide: Rollback: which one?'
assert_fixed 'b-flush-the-cache: Option B: Flush the cache'
refute_fixed '(recommended)' "the drill shows the runbook's recommendation"
refute_text '▸ [ab]-' "the drill's decision opens with an option selected"

start_app -x 120 -y 30 run "$SCREEN_TMP/live.json" --operator sam \
	--session-dir "$SCREEN_TMP/live"
wait_text 'q quit' 5
keys '>'
assert_fixed 'Rollback: which one?'
keys Enter
assert_fixed 'The runbook recommends the marked option.'
assert_text '▸ b-flush-the-cache: Option B: Flush the cache  \(recommended\)'
pass
