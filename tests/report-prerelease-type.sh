#!/bin/sh
# A restore to a pre-release is a finding of the report by the rule of the
# registry the playbook watches: PyPI's "2.0rc1" is a pre-release (the
# report knew only SemVer's "-rc.1" and said nothing), npm's "2.0.0-rc.1"
# still is, and a release of either is not. The registry's url points at
# a closed loopback port: the finding needs no answer from it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

# playbook TYPE: a playbook restoring GOOD from a registry of TYPE.
playbook() {
	cat <<JSON
{
  "id": "restore-$1",
  "title": "Restore a $1 release",
  "header": { "to": "GOOD" },
  "variables": {
    "GOOD": { "prompt": "the version to restore", "from": "registry" }
  },
  "targets": { "registry": [ { "type": "$1", "name": "web",
                               "url": "http://127.0.0.1:1/" } ] },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [
      { "id": "e.restore", "kind": "run", "title": "Restore",
        "run": "echo restoring \${GOOD}" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
}

# restore TYPE VERSION: the report's findings of a session that restored
# VERSION from a TYPE registry, in $tmp/TYPE-VERSION.md.
restore() {
	playbook "$1" >"$tmp/$1.json"
	printf '%s\n' "set GOOD $2" next next next 'run e.restore' \
		next next next quit |
		"$bin" run "$tmp/$1.json" --batch --operator sam \
			--session-dir "$tmp/s-$1-$2" >"$tmp/out" 2>&1 ||
		fail "$1 $2: the session failed: $(cat "$tmp/out")"
	"$bin" report "$tmp/s-$1-$2" >"$tmp/$1-$2.md" 2>"$tmp/err" ||
		fail "$1 $2: rewind report failed: $(cat "$tmp/err")"
}

for c in pypi:2.0rc1 pypi:1.4.0.dev2 npm:2.0.0-rc.1; do
	restore "${c%%:*}" "${c#*:}"
	grep -q "Restored to pre-release version ${c#*:} (GOOD)" \
		"$tmp/${c%%:*}-${c#*:}.md" ||
		fail "${c%%:*} ${c#*:} is not reported as a pre-release:" \
		     "$(sed -n '/^## Findings/,/^## /p' "$tmp/${c%%:*}-${c#*:}.md")"
done
for c in pypi:2.0.1 pypi:2.0.post1 npm:2.0.0; do
	restore "${c%%:*}" "${c#*:}"
	grep -q "pre-release" "$tmp/${c%%:*}-${c#*:}.md" &&
		fail "${c%%:*} release ${c#*:} is reported as a pre-release"
done
[ "$failed" = 0 ] && echo "PASS: report-prerelease-type"
exit $failed
