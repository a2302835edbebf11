#!/bin/sh
# Console benchmarks, measured through tmux on the real binary:
#  - time from start to the first complete frame of the bundled default
#    (goal < 100 ms)
#  - a live step printing 1,000,000 lines: the console's peak memory
#    (goal < 64 MB) and the step's wall time against the same command
#    into a pipe read and discarded, the floor for any reader (goal <=
#    1.15x), and writing to /dev/null (for information); and the
#    console's own CPU for the step against the command's (goal <= 1.0x:
#    a reader that spends less than the writer keeps up on its own core)
#  - keypress to updated screen, median of 40 keys (goal < 50 ms)
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
command -v tmux >/dev/null || { echo "console: tmux not installed, skipped"; exit 0; }
tmp=$(mktemp -d) || exit 1
sock="rewind-bench-$$"
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null; sleep 0.1; rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_STATE_HOME="$tmp/state" REWIND_TEST_IDLE="$tmp/idle"

now_ms() { date +%s%3N; }
screen() { $T capture-pane -p -t b; }
wait_for() {	# PATTERN TIMEOUT_MS
	end=$(( $(now_ms) + $2 ))
	while ! screen | grep -q -- "$1"; do
		[ "$(now_ms)" -gt "$end" ] && return 1
		sleep 0.002
	done
}

# "PASS" or "MISS": is A OP B (awk comparison)?
verdict() { awk "BEGIN{print ($1 $2 $3) ? \"PASS\" : \"MISS\"}"; }

# Start to first complete frame of the bundled default (`rewind` with no
# arguments, as bootstrap.sh opens it, from the source tree): from just
# before the exec to the frame handed to the terminal, which the console
# logs (REWIND_TEST_FRAME_LOG); median of 5. The same start seen through
# tmux (a new tmux session, polled) is printed beside it: it adds tmux's
# own start and the polling.
first_frame() {	# N: prints "EXEC_TO_FRAME_MS TMUX_SEEN_MS"
	log="$tmp/frame$1" t0f="$tmp/t0-$1"
	w0=$(now_ms)
	$T new-session -d -s "f$1" -x 80 -y 24 "cd $src && TERM=xterm-256color REWIND_TEST_FRAME_LOG=$log sh -c 'date +%s%N >\"\$0\"; exec \"\$1\"' $t0f $bin; sleep 60"
	end=$(( w0 + 10000 ))
	until [ -s "$log" ] && $T capture-pane -p -t "f$1" | grep -q 'q quit'; do
		[ "$(now_ms)" -gt "$end" ] && { echo "console: no first frame" >&2; return 1; }
		sleep 0.002
	done
	seen=$(( $(now_ms) - w0 ))
	$T kill-session -t "f$1"
	awk -v a="$(cat "$t0f")" -v b="$(cat "$log")" -v s="$seen" \
		'BEGIN{printf "%.1f %d\n", (b - a) / 1e6, s}'
}
: >"$tmp/frames"
for n in 1 2 3 4 5; do
	first_frame $n >>"$tmp/frames" || exit 1
done
first=$(sort -n "$tmp/frames" | awk 'NR == 3 {print $1}')
seen=$(sort -n -k2 "$tmp/frames" | awk 'NR == 3 {print $2}')
echo "console: start to first complete frame, bundled default: $first ms, median of 5 (goal < 100 ms) $(verdict "$first" '<' 100)"
echo "console: the same seen through a new tmux session: $seen ms (tmux's own start and polling included)"

$T new-session -d -s b -x 80 -y 24 "TERM=xterm-256color $bin run $src/tests/fixtures/playbooks/flood.json --session-dir $tmp/s; sleep 60"
wait_for 'q quit' 5000 || { echo "console: no first frame"; exit 1; }

pid=$($T list-panes -t b -F '#{pane_pid}')
app=$(pgrep -P "$pid" -f "$bin" | head -n 1)
# Three runs of the flood (three steps of the fixture); the best counts,
# as the baselines below are the best of several runs too.
finished() { grep -c '"step.finished"' "$tmp/s/journal.jsonl" 2>/dev/null; }
# CPU time of the console, all its threads, in microseconds.
cpu_us() { cat /proc/"$app"/task/*/schedstat | awk '{s += $1} END {print int(s / 1000)}'; }
cpu_best=
for n in 1 2 3; do
	c0=$(cpu_us)
	$T send-keys -t b Enter
	end=$(( $(now_ms) + 60000 ))
	while [ "$(finished)" != "$n" ]; do
		[ "$(now_ms)" -gt "$end" ] && { echo "console: flood $n did not finish"; exit 1; }
		sleep 0.01
	done
	wait_for 'Last run: ok' 5000 || { echo "console: flood $n failed"; exit 1; }
	c=$(( $(cpu_us) - c0 ))
	[ -z "$cpu_best" ] || [ "$c" -lt "$cpu_best" ] && cpu_best=$c
	sleep 0.3
done
hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/"$app"/status)
ms=$(grep -o '"duration_ms":[0-9]*' "$tmp/s/journal.jsonl" | cut -d: -f2 | sort -n | head -n 1)
# The same command run by /bin/sh to /dev/null, into a pipe whose reader
# discards it, and into memory: best of 15 each (tests/bench/bench_floor).
floor=${REWIND_BUILDDIR:-.}/tests/bench/bench_floor
if [ -x "$floor" ]; then
	set -- $("$floor" --quiet 'seq 1 1000000')
	bare=$1 piped=$2 memfd=$3 cmd_cpu=$4
else
	echo "console: $floor not built; run make bench"; exit 1
fi
ratio() { awk "BEGIN{printf \"%.2f\", $1/$2}"; }
cpu_ms=$(awk "BEGIN{printf \"%.1f\", $cpu_best / 1000}")
echo "console: 1,000,000 lines: peak RSS $hwm MB (goal < 64 MB) $(verdict "$hwm" '<' 64)"
# The old goal against /dev/null (<= 1.2x, issue 3) was below the floor a
# pipe sets for any reader; issue 19 restated it against that floor (the
# line after next). The ratio stays, for information: no verdict.
echo "console: step wall time $ms ms (best of 3) vs $bare ms to /dev/null: ratio $(ratio "$ms" "$bare") (for information; the goal is against the pipe floor)"
echo "console: floor for any reader: a pipe read and discarded $piped ms ($(ratio "$piped" "$bare")x /dev/null), memory (memfd) $memfd ms ($(ratio "$memfd" "$bare")x)"
echo "console: step wall time against the pipe floor: $(ratio "$ms" "$piped")x (goal <= 1.15x) $(verdict "$(ratio "$ms" "$piped")" '<=' 1.15)"
echo "console: the console's CPU for the step $cpu_ms ms (best of 3) vs the command's own $cmd_cpu ms: $(ratio "$cpu_ms" "$cmd_cpu")x (goal <= 1.0x) $(verdict "$(ratio "$cpu_ms" "$cmd_cpu")" '<=' 1.0)"

: >"$tmp/lat"
i=0
while [ $i -lt 40 ]; do
	before=$(cat "$tmp/idle" 2>/dev/null)
	k=j; [ $((i % 2)) -eq 1 ] && k=k
	s0=$(now_ms)
	$T send-keys -t b $k
	while [ "$(cat "$tmp/idle" 2>/dev/null)" = "$before" ]; do sleep 0.001; done
	screen >/dev/null
	echo $(( $(now_ms) - s0 )) >>"$tmp/lat"
	i=$((i + 1))
done
med=$(sort -n "$tmp/lat" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "console: keypress to updated screen, median of 40: $med ms (goal < 50 ms) $(verdict "$med" '<' 50)"
