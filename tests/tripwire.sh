#!/bin/sh
# The tripwire guarantee: a drill of every shipped playbook, on every
# scenario and on none, spawns no process outside its throwaway clone.
# Tripwire programs come first on PATH for the tools a rollback uses
# (git, npm, twine, pip, gh, docker, kubectl, curl, pkill, systemctl,
# sh...): each logs its name and arguments and exits 97, except git run
# inside a rewind-drill- clone, which hands over to the real git and says
# so. The runner itself logs every spawn (REWIND_TEST_SPAWN_LOG) with its
# working directory, which also catches /bin/sh called by absolute path.
# Recorded walks are replayed where they exist; other scenarios are walked
# by tests/fixtures/tripwire/autowalk.py from rewind's own "awaiting" lines.
#
# The shipped playbooks' git target is ".", so every drill runs from inside
# a real temporary git repository (tags, the commit messages and the
# incidents/ folder the read-only steps look for). Two passes over the
# same drills:
#   default              the steps that opt in (drill.real_in_clone) run
#                        for real in the clone: every spawn is one of them,
#                        in the clone, one per such step started, and each
#                        playbook with such steps did run them there;
#   --no-real-in-clone   nothing is spawned at all, and each opted-in step
#                        says it was turned off.
# Both: the repository is byte for byte unchanged and no clone is left.
# Last, a fixture step that opts in (tests/fixtures/tripwire/clone.json)
# runs `git log` for real in the clone, with the default and with the
# older --real-in-clone spelling.
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(cd "$src" && pwd) ;; esac
# The interpreter itself, not a wrapper script that would meet the tripwires.
python=$(python3 -c 'import sys; print(sys.executable)') ||
	{ echo "FAIL: python3 is needed"; exit 99; }
realgit=$(command -v git) || { echo "FAIL: git is needed"; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LC_ALL=C
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_COMMON_DIR
mkdir -p "$tmp/trip" "$tmp/t" "$HOME" "$tmp/on" "$tmp/off"
tripped="$tmp/tripped.log" allowed="$tmp/allowed.log" spawns="$tmp/spawns.log"
fail=0 n=0
tab=$(printf '\t')

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

# The trainee's repository: what the opted-in steps of the shipped
# playbooks read (tags, history, incidents/).
repo="$tmp/repo"
rgit() { "$realgit" -C "$repo" -c user.name=Zoë -c user.email=z@example.org "$@"; }
"$realgit" init -q "$repo" || exit 99
mkdir -p "$repo/incidents" && echo "# rollback 1.2.3" >"$repo/incidents/rollback-1.2.3.md"
echo "v1" >"$repo/app.txt"
rgit add -A && rgit commit -q -m "Release v1.0.0" && rgit tag v1.0.0 &&
	echo "v2" >"$repo/app.txt" && rgit commit -q -am "Phase 1: BaseRestInterface accepts RestManager" &&
	rgit tag v1.1.0 || exit 99
echo "local edit" >>"$repo/app.txt"	# the trainee's uncommitted work
rgit remote add origin https://example.org/app.git || exit 99
head=$(rgit log -1 --format='%h %s' --abbrev=7) || exit 99	# real output only

# Every entry below the repository (.git too): name, mode, size, mtime and
# contents, so any write, even a lock file made and removed, shows.
snapshot() {
	(cd "$repo" && find . -exec stat -c '%n %a %s %y' {} + | sort &&
		find . -type f -exec sha256sum {} + | sort)
}
snapshot >"$tmp/repo.before" || exit 99

reset_logs() { : >"$tripped"; : >"$allowed"; : >"$spawns"; }

# drill PLAYBOOK DIR [ARGS...] <WALK: one drill from inside the repository,
# with the tripwires on.
drill() {
	pb=$1 dir=$2
	shift 2
	(cd "$repo" && env PATH="$tmp/trip:$PATH" TMPDIR="$tmp/t" \
		REWIND_TEST_SPAWN_LOG="$spawns" \
		"$bin" drill "$pb" --batch --operator olga --session-dir "$dir" "$@" \
		>"$tmp/out" 2>"$tmp/err")
}

# autowalk PLAYBOOK DIR SCENARIO [ARGS...] (SCENARIO "" for none).
autowalk() {
	(cd "$repo" && env PATH="$tmp/trip:$PATH" TMPDIR="$tmp/t" \
		REWIND_TEST_SPAWN_LOG="$spawns" \
		"$python" "$src/tests/fixtures/tripwire/autowalk.py" "$bin" "$@" \
		>/dev/null 2>"$tmp/err")
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

# all_drills PASS [ARGS...]: every recorded walk, then every playbook and
# scenario no walk drove; sessions go to $tmp/PASS/, one line per session
# ("playbook dir") to $tmp/PASS.list.
all_drills() {
	pass=$1
	shift
	covered=""	# "playbook:scenario" pairs a recorded walk drove
	: >"$tmp/$pass.list"
	for walk in "$src"/tests/fixtures/walks/*.walk "$src"/playbooks/example.walk; do
		[ -f "$walk" ] || continue
		name=$(playbook_for "$walk")
		[ -n "$name" ] || continue
		scen=""
		case "$(basename "$walk" .walk)" in *-scenario-*)
			scen=${walk##*-scenario-}; scen=${scen%.walk} ;;
		esac
		n=$((n + 1))
		dir="$tmp/$pass/s$n"
		if ! drill "$src/playbooks/$name.json" "$dir" ${scen:+--scenario=$scen} "$@" <"$walk"; then
			echo "FAIL: $pass: $(basename "$walk") did not complete"; tail -n 2 "$tmp/err"; fail=1
		fi
		echo "$name $dir" >>"$tmp/$pass.list"
		covered="$covered $name:$scen"
	done
	for pb in "$src"/playbooks/*.json; do
		name=$(basename "$pb" .json)
		[ "$name" = schema ] && continue
		for scen in "" $("$bin" drill --list-scenarios --game-master "$pb" | grep -v "^[[:space:]]" | cut -f1); do
			case " $covered " in *" $name:$scen "*) continue ;; esac
			n=$((n + 1))
			dir="$tmp/$pass/s$n"
			if ! autowalk "$pb" "$dir" "$scen" "$@"; then
				echo "FAIL: $pass: $name ${scen:-(no scenario)}: walk did not complete"
				cat "$tmp/err"; fail=1
			fi
			echo "$name $dir" >>"$tmp/$pass.list"
		done
	done
}

# started PASS PATTERN: step.started events of the pass matching PATTERN.
started() {
	cat "$tmp/$1"/*/journal.jsonl | grep '"type":"step.started"' | grep -c "$2"
}

# Both passes end the same way: nothing tripped, the repository untouched,
# no clone left behind, every journal intact.
after_pass() {
	if [ -s "$tripped" ]; then
		echo "FAIL: $1: tripwires ran:"; head -20 "$tripped"; fail=1
	fi
	snapshot >"$tmp/repo.after"
	diff "$tmp/repo.before" "$tmp/repo.after" >"$tmp/repo.diff" ||
		{ echo "FAIL: $1: the repository changed:"; head -20 "$tmp/repo.diff"; fail=1; }
	ls "$tmp/t" | grep -q rewind-drill- &&
		{ echo "FAIL: $1: a clone was left behind"; fail=1; }
	while read -r name dir; do
		"$bin" verify "$dir" >/dev/null 2>&1 ||
			{ echo "FAIL: $1: verify $name ($dir)"; fail=1; }
	done <"$tmp/$1.list"
}

# --- the default: opted-in steps run in the clone, nothing else runs --------------
reset_logs
all_drills on
real=$(started on '"real_in_clone":true')
if [ "$real" -eq 0 ]; then
	echo "FAIL: on: no opted-in step ran in the clone"; fail=1
fi
outside=$(grep -v "^[^$tab]*/rewind-drill-[^/$tab]*$tab" "$spawns")
if [ -n "$outside" ]; then
	echo "FAIL: on: spawns outside the clone:"; echo "$outside" | head -20; fail=1
fi
[ "$(wc -l <"$spawns")" -eq "$real" ] ||
	{ echo "FAIL: on: $(wc -l <"$spawns") spawns for $real opted-in runs"; fail=1; }
# The simulation stands in only where a scenario scripts the step, its
# world answers the command, or its world gives the repository (then the
# panes and the output agree).
other=$(cat "$tmp"/on/*/journal.jsonl | grep '"type":"step.started"' |
	grep '"clone":' | grep -v "sets this step's outcome" |
	grep -v "the scenario's world answers this command" |
	grep -v "the drill's world gives the repository")
[ -z "$other" ] || { echo "FAIL: on: opted-in steps simulated:"; echo "$other" | head -5; fail=1; }
grep -q ' (in the drill clone)$' "$allowed" ||
	{ echo "FAIL: on: the real git never ran in the clone"; fail=1; }
cat "$tmp"/on/*/journal.jsonl | grep '"type":"step.finished"' | grep -qF "$head" ||
	{ echo "FAIL: on: no step showed the repository's own last commit ($head)"; fail=1; }
for pb in "$src"/playbooks/*.json; do
	name=$(basename "$pb" .json)
	grep -q '"real_in_clone": *true' "$pb" || continue
	got=0
	while read -r pname dir; do
		[ "$pname" = "$name" ] || continue
		# run in the clone, or read from a world that gives the
		# repository (its tags and HEAD, which a clone would contradict)
		got=$((got + $(grep '"type":"step.started"' "$dir/journal.jsonl" |
			grep -c '"real_in_clone":true\|the drill.s world gives the repository')))
	done <"$tmp/on.list"
	[ "$got" -gt 0 ] || { echo "FAIL: on: $name: no opted-in step ran in the clone nor read the world's repository"; fail=1; }
done
after_pass on
n_real=$real

# --- --no-real-in-clone: nothing runs at all -------------------------------------------
reset_logs
all_drills off --no-real-in-clone
if [ -s "$spawns" ]; then
	echo "FAIL: off: drills with --no-real-in-clone ran programs:"; head -20 "$spawns"; fail=1
fi
[ "$(started off '"real_in_clone":true')" -eq 0 ] ||
	{ echo "FAIL: off: a step ran in a clone"; fail=1; }
[ "$(started off '"clone":"real runs in the clone are turned off')" -gt 0 ] ||
	{ echo "FAIL: off: no opted-in step said it was turned off"; fail=1; }
cat "$tmp"/off/*/journal.jsonl | grep -qF "$head" &&
	{ echo "FAIL: off: the repository's own commit ($head) was read"; fail=1; }
after_pass off

# --- the fixture's opt-in clone, by default and with the older flag -------------------------
mkdir -p "$tmp/c"
(cd "$tmp/c" && "$realgit" init -q repo && cd repo &&
	"$realgit" -c user.name=Zoë -c user.email=z@example.org \
		commit -q --allow-empty -m "tripwire fixture commit") || exit 99
for flag in "" --real-in-clone; do
	reset_logs
	n=$((n + 1))
	(cd "$tmp/c" &&
		env PATH="$tmp/trip:$PATH" TMPDIR="$tmp/t" REWIND_TEST_SPAWN_LOG="$spawns" \
		"$bin" drill "$src/tests/fixtures/tripwire/clone.json" --batch \
		--operator olga --session-dir "$tmp/s$n" $flag \
		<"$src/tests/fixtures/tripwire/clone.walk" >"$tmp/out" 2>"$tmp/err") ||
		{ echo "FAIL: clone drill ${flag:-(default)} did not complete"; cat "$tmp/err"; fail=1; }
	grep -q 'tripwire fixture commit' "$tmp/s$n/output/assess.head-1.cast" ||
		{ echo "FAIL: ${flag:-(default)}: the opted-in step did not run for real in the clone"; fail=1; }
	[ "$(wc -l <"$spawns")" -eq 1 ] && grep -q "/rewind-drill-[^$tab]*${tab}git log" "$spawns" ||
		{ echo "FAIL: ${flag:-(default)}: spawns other than the clone's one:"; cat "$spawns"; fail=1; }
	grep -q '^git log --oneline -1 (in the drill clone)' "$allowed" ||
		{ echo "FAIL: ${flag:-(default)}: the clone's git was not the one run"; cat "$allowed"; fail=1; }
	[ -s "$tripped" ] && { echo "FAIL: ${flag:-(default)}: tripwires:"; cat "$tripped"; fail=1; }
	ls "$tmp/t" | grep -q rewind-drill- && { echo "FAIL: ${flag:-(default)}: the clone was left behind"; fail=1; }
	"$bin" verify "$tmp/s$n" >/dev/null || { echo "FAIL: ${flag:-(default)}: verify the clone drill"; fail=1; }
done

[ $fail -eq 0 ] && echo "tripwire: $n drills; $n_real opted-in runs, all in the clone; none with --no-real-in-clone"
exit $fail
