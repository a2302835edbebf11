#!/bin/sh
# The tripwire guarantee: drilling every shipped playbook, on every
# scenario and on none, to completion in batch mode spawns no process.
# Tripwire programs come first on PATH for the tools a rollback uses
# (git, npm, twine, pip, gh, docker, kubectl, curl, pkill, systemctl,
# sh...): each logs its name and arguments and exits 97. The runner
# itself logs every spawn (REWIND_TEST_SPAWN_LOG), which also catches
# /bin/sh called by absolute path. Recorded walks are replayed where they
# exist; other scenarios are walked by tests/fixtures/tripwire/autowalk.py
# from rewind's own "awaiting" lines. Last, a fixture step that opts in
# runs `git log` for real in the throwaway clone: the only spawn allowed,
# and only there (the tripwire git hands over to the real git when its
# working directory is a rewind-drill- clone, and says so).
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
# The interpreter itself, not a wrapper script that would meet the tripwires.
python=$(python3 -c 'import sys; print(sys.executable)') ||
	{ echo "FAIL: python3 is needed"; exit 99; }
realgit=$(command -v git) || { echo "FAIL: git is needed"; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LC_ALL=C
mkdir -p "$tmp/trip" "$tmp/t" "$HOME"
tripped="$tmp/tripped.log" allowed="$tmp/allowed.log" spawns="$tmp/spawns.log"
: >"$tripped"; : >"$allowed"; : >"$spawns"
fail=0 n=0

for name in git npm npx node yarn pnpm twine pip pip3 python python3 poetry \
	gh docker podman kubectl helm curl wget pkill kill killall systemctl \
	service sudo su ssh scp rsync sh bash make; do
	cat >"$tmp/trip/$name" <<EOF
#!/bin/sh
if [ "$name" = git ]; then
	case "\$(pwd)" in */rewind-drill-*)
		echo "git \$* (in the drill clone)" >>"$allowed"
		exec "$realgit" "\$@" ;;
	esac
fi
echo "$name \$* (in \$(pwd))" >>"$tripped"
exit 97
EOF
	chmod +x "$tmp/trip/$name"
done

# drill PLAYBOOK DIR [ARGS...] <WALK: one drill, with the tripwires on.
drill() {
	pb=$1 dir=$2
	shift 2
	env PATH="$tmp/trip:$PATH" TMPDIR="$tmp/t" REWIND_TEST_SPAWN_LOG="$spawns" \
		"$bin" drill "$pb" --batch --operator olga --session-dir "$dir" "$@" \
		>"$tmp/out" 2>"$tmp/err"
}

autowalk() {
	env PATH="$tmp/trip:$PATH" TMPDIR="$tmp/t" REWIND_TEST_SPAWN_LOG="$spawns" \
		"$python" "$src/tests/fixtures/tripwire/autowalk.py" "$bin" "$@" \
		>/dev/null 2>"$tmp/err"
}

playbook_for() {	# walk file -> playbook name (longest matching)
	best=""
	w=$(basename "$1" .walk)
	for pb in "$src"/playbooks/*.json; do
		name=$(basename "$pb" .json)
		case "$w" in "$name"-*|"$name") [ ${#name} -gt ${#best} ] && best=$name ;; esac
	done
	echo "$best"
}

covered=""	# "playbook:scenario" pairs a recorded walk drove
for walk in "$src"/tests/fixtures/walks/*.walk "$src"/playbooks/example.walk; do
	[ -f "$walk" ] || continue
	name=$(playbook_for "$walk")
	[ -n "$name" ] || continue
	scen=""
	case "$(basename "$walk" .walk)" in *-scenario-*)
		scen=${walk##*-scenario-}; scen=${scen%.walk} ;;
	esac
	n=$((n + 1))
	if ! drill "$src/playbooks/$name.json" "$tmp/s$n" ${scen:+--scenario=$scen} <"$walk"; then
		echo "FAIL: $(basename "$walk") did not complete"; tail -n 2 "$tmp/err"; fail=1
	fi
	covered="$covered $name:$scen"
done

for pb in "$src"/playbooks/*.json; do
	name=$(basename "$pb" .json)
	[ "$name" = schema ] && continue
	for scen in "" $("$bin" drill --list-scenarios "$pb" | cut -f1); do
		case " $covered " in *" $name:$scen "*) continue ;; esac
		n=$((n + 1))
		if ! autowalk "$pb" "$tmp/s$n" $scen; then
			echo "FAIL: $name ${scen:-(no scenario)}: walk did not complete"
			cat "$tmp/err"; fail=1
		fi
	done
done

if [ -s "$tripped" ] || [ -s "$spawns" ]; then
	echo "FAIL: drills of the shipped playbooks ran programs:"
	cat "$tripped" "$spawns" | head -20
	fail=1
fi

# The opt-in clone: a real repository, a step that opts in, --real-in-clone.
mkdir -p "$tmp/c"
(cd "$tmp/c" && "$realgit" init -q repo && cd repo &&
	"$realgit" -c user.name=Zoë -c user.email=z@example.org \
		commit -q --allow-empty -m "tripwire fixture commit") || exit 99
n=$((n + 1))
(cd "$tmp/c" && drill "$src/tests/fixtures/tripwire/clone.json" "$tmp/s$n" \
	--real-in-clone <"$src/tests/fixtures/tripwire/clone.walk") ||
	{ echo "FAIL: the clone drill did not complete"; cat "$tmp/err"; fail=1; }
grep -q 'tripwire fixture commit' "$tmp/s$n/output/assess.head-1.cast" ||
	{ echo "FAIL: the opted-in step did not run for real in the clone"; fail=1; }
tab=$(printf '\t')
[ "$(wc -l <"$spawns")" -eq 1 ] && grep -q "/rewind-drill-[^$tab]*${tab}git log" "$spawns" ||
	{ echo "FAIL: spawns other than the clone's one:"; cat "$spawns"; fail=1; }
grep -q '^git log --oneline -1 (in the drill clone)' "$allowed" ||
	{ echo "FAIL: the clone's git was not the one run"; cat "$allowed"; fail=1; }
[ -s "$tripped" ] && { echo "FAIL: tripwires:"; cat "$tripped"; fail=1; }
ls "$tmp/t" | grep -q rewind-drill- && { echo "FAIL: the clone was left behind"; fail=1; }
"$bin" verify "$tmp/s$n" >/dev/null || { echo "FAIL: verify the clone drill"; fail=1; }

[ $fail -eq 0 ] && echo "tripwire: $n drills, no spawn but the clone's git"
exit $fail
