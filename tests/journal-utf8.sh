#!/bin/sh
# Hostile bytes through batch mode (issue 16, defect 10): a tag name and a
# note holding a raw 8-bit C1 byte (0x9B, CSI), U+009B, U+202E (a bidi
# override) and bytes that are not UTF-8. Every journal line and every
# stdout line must be valid UTF-8 JSON (decoded strictly, parsed by
# python3's json), stdout must hold no C1 or bidi character, the journal
# must give the original bytes back (PEP 383 surrogateescape), and rewind
# must read its own journal back (verify, resume).
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LC_ALL=C.UTF-8

fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
command -v git >/dev/null 2>&1 || { echo "SKIP: no git"; exit 77; }

# The hostile text: raw CSI, U+009B, U+202E, then 0xFF and an overlong '/'.
hostile=$(printf 'x\233y\302\233z\342\200\256w\377\300\257v')

git init -q -b main "$tmp/repo" &&
	git -C "$tmp/repo" -c user.name=t -c user.email=t@example.invalid \
		commit -q --allow-empty -m first &&
	git -C "$tmp/repo" tag "v1.0.0-$hostile" &&
	git -C "$tmp/repo" tag v1.0.0 || fail "could not build the repository"
cat >"$tmp/pb.json" <<EOF
{ "id": "hostile", "title": "Hostile text",
  "targets": { "git": { "path": "$tmp/repo" } },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "assess.look", "kind": "check", "title": "Look" } ] },
    { "id": "decide", "steps": [] }, { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] }, { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] } ] }
EOF

# stdin stays open until the tags answer (with the hostile tag) is in the
# journal, then quit.
mkfifo "$tmp/in" || exit 99
"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$tmp/s" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
printf 'note %s\ntick assess.%s\n' "$hostile" "$hostile" >&3
tries=0
until grep -q '"tags.answer"' "$tmp/s/journal.jsonl" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -le 200 ] || fail "no tags.answer in the journal after 20 s"
	sleep 0.1
done
echo quit >&3
exec 3>&-
wait "$pid"
pid=

# Strict UTF-8, JSON, no C1/bidi; the journal's strings give the original
# bytes back through surrogateescape.
python3 - "$tmp/s/journal.jsonl" "$tmp/out" "$hostile" <<'EOF' || exit 1
import json, sys

hidden = lambda c: 0x80 <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e \
    or 0x2066 <= ord(c) <= 0x2069
want = sys.argv[3].encode('utf-8', 'surrogateescape')
ok = True

def back(s):
    return s.encode('utf-8', 'surrogateescape')

events = []
for path in sys.argv[1:3]:
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')[:-1]
    for n, raw in enumerate(lines, 1):
        try:
            text = raw.decode('utf-8', 'strict')
            doc = json.loads(text)
        except ValueError as e:
            print('FAIL: %s:%d is not UTF-8 JSON (%s): %r' % (path, n, e, raw[:120]))
            ok = False
            continue
        bad = [c for c in text if hidden(c)]
        if bad:
            print('FAIL: %s:%d holds %r raw' % (path, n, bad))
            ok = False
        if path == sys.argv[1]:
            events.append(doc)
notes = [back(e['payload']['text']) for e in events if e['type'] == 'note.added']
if notes != [want]:
    print('FAIL: the journal gives the note back as %r, not %r' % (notes, want))
    ok = False
tags = [back(t['name']) for e in events if e['type'] == 'tags.answer'
        for t in e['payload']['tags']]
if b'v1.0.0-' + want not in tags:
    print('FAIL: the journal gives the tags back as %r' % tags)
    ok = False
if not ok:
    sys.exit(1)
EOF
grep -q '"tags.answer"' "$tmp/out" || fail "stdout does not echo the tags answer"
grep -q '"type":"error"' "$tmp/out" || fail "stdout has no error for the bad tick"

# rewind reads its own escapes back: verify passes and a resumed session
# takes the journal as it is.
"$bin" verify "$tmp/s" >"$tmp/verify" 2>&1 ||
	fail "verify refused the journal: $(cat "$tmp/verify")"
echo quit | "$bin" run "$tmp/s" --batch --operator sam >"$tmp/out2" \
	2>"$tmp/err2" || grep -q 'not complete' "$tmp/err2" ||
	fail "resume failed: $(cat "$tmp/err2")"
"$bin" verify "$tmp/s" >/dev/null 2>&1 || fail "verify failed after resume"
# The report reads the note's own bytes (shown sanitized), not the escapes.
"$bin" report "$tmp/s" >"$tmp/report" 2>&1 || fail "report failed: $(cat "$tmp/report")"
grep -qF 'x\x9By\u{009B}z\u{202E}w\xFF\xC0\xAFv' "$tmp/report" ||
	fail "the report does not show the note's bytes: $(grep -a x "$tmp/report")"
echo "journal utf-8: hostile tag names and notes stay valid UTF-8 JSON and harmless"
