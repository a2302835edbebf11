#!/bin/sh
# A closed terminal (SIGHUP) or SIGTERM while a command runs ends the
# console as q does, and as q does the command goes on to its end: the
# journal's session.quit names it running, and it is not killed with the
# console (it was, while the journal said it still ran). Its keeper
# records its exit status, so the next console journals its real finish
# (step.finished, recorded_by keeper), not "outcome unknown".
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

# rewind's pid: a child of the pane's shell (or of its child), read from
# /proc's children lists (a scan of every process took seconds under load).

# end_with SIGNAL NAME: a slow command started, then the console is sent
# SIGNAL; the command must reach its end after the console has gone.
end_with() {
	dir=$SCREEN_TMP/$2
	mkdir -p "$dir"
	cat >"$dir/pb.json" <<JSON
{"id":"slow","title":"Slow command","phases":[
{"id":"assess","steps":[{"id":"a.slow","kind":"run","title":"slow","timeout":"2m",
  "run":"i=0; while [ \$i -lt 40 ]; do i=\$((i + 1)); echo tick \$i; sleep 0.3; done; echo done >'$dir/done'"}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
	start_app -x 100 -y 26 run "$dir/pb.json" --session-dir "$dir/s" --operator ic
	keys Enter
	wait_for "grep -q 'tick 2' '$dir/s/output/a.slow-1.cast'" 20 ||
		fail "$1: the command did not start"
	rpid=$(app_pid) || fail "cannot find rewind's pid"
	kill "-$1" "$rpid"
	wait_exit
	[ -e "$dir/done" ] && fail "$1: the command ended before the signal: make it slower"
	wait_for "test -e '$dir/done'" 30 ||
		fail "$1: the command was killed with the console"
	grep '"type":"session.quit"' "$dir/s/journal.jsonl" |
		grep -q "\"how\":\"SIG$1\",\"running\":\\[{\"step\":\"a.slow\"" ||
		fail "$1: session.quit does not name a.slow running"
	wait_for "grep -q 'tick 40' '$dir/s/output/a.slow-1.cast'" 5 ||
		fail "$1: the command's last lines did not reach its output file"
	# Its keeper recorded how it ended: the next console says so.
	wait_for "grep -q '\"exit\":0,\"signal\":0,' '$dir/s/output/a.slow-1.status'" 10 ||
		fail "$1: the keeper did not record exit 0 in a.slow-1.status"
	# (resumed in batch mode, which journals the same and then ends)
	run_rewind run "$dir/s" --operator ic --batch </dev/null \
		>"$dir/resume.out" 2>&1
	grep '"type":"step.finished"' "$dir/s/journal.jsonl" |
		grep -q '"ok":true,"exit":0,.*tick 40".*"recorded_by":"keeper"' ||
		fail "$1: the resume did not finish a.slow from its keeper's record"
	grep -q '"type":"step.interrupted"' "$dir/s/journal.jsonl" &&
		fail "$1: a.slow was called interrupted though its keeper recorded its end"
}

end_with TERM term
end_with HUP hup
pass "SIGTERM and SIGHUP end the console as q does; the running command goes on, and its outcome is known at the resume"
