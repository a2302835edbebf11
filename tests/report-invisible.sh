#!/bin/sh
# Invisible characters (a zero-width space, a byte order mark, a word
# joiner) in a command, in a note and in what a command printed are
# made visible (<U+200B>) wherever text reaches a reader: report.md,
# report.json and replay --print, as in the console's panes; none is
# written raw.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

zw=$(printf '\342\200\213')	# U+200B
bom=$(printf '\357\273\277')	# U+FEFF
wj=$(printf '\342\201\240')	# U+2060
cat >"$tmp/pb.json" <<JSON
{
  "id": "invisible",
  "title": "Invisible characters",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.look", "kind": "run", "title": "Look${zw}up the tag",
        "run": "printf 'latest${zw}is 1.2.2${bom}\\\\n'" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
S=$tmp/s
printf '%s\n' 'run a.look' "note seen${wj}here" |
	"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$S" \
	>"$tmp/out" 2>"$tmp/err"
grep -q '"type":"step.finished"' "$S/journal.jsonl" ||
	{ fail "a.look did not run: $(tail -3 "$tmp/err")"; exit $failed; }
"$bin" report "$S" >"$tmp/r.md" 2>"$tmp/r.err" || fail "rewind report failed"
"$bin" report "$S" --format json >"$tmp/r.json" 2>>"$tmp/r.err" ||
	fail "rewind report --format json failed"
"$bin" replay --print "$S" >"$tmp/p.txt" 2>"$tmp/p.err" ||
	fail "rewind replay --print failed: $(cat "$tmp/p.err")"
for f in r.md r.json p.txt; do
	for c in "$zw" "$bom" "$wj"; do
		grep -qF "$c" "$tmp/$f" &&
			fail "$f holds an invisible character raw: $(grep -F "$c" "$tmp/$f" | head -n 2)"
	done
done
grep -qF "| printf 'latest<U+200B>is 1.2.2<U+FEFF>" "$tmp/r.md" ||
	fail "report.md does not show the command's invisible characters"
grep -qF 'seen<U+2060>here' "$tmp/r.md" ||
	fail "report.md does not show the note's word joiner"
grep -qF 'seen<U+2060>here' "$tmp/p.txt" ||
	fail "replay --print does not show the note's word joiner: $(grep seen "$tmp/p.txt")"
grep -qF 'latest<U+200B>is' "$tmp/p.txt" ||
	fail "replay --print does not show the output's zero-width space: $(grep latest "$tmp/p.txt")"
exit $failed
