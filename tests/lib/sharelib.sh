# What the sharing tests have in common: a real git server (git daemon on
# loopback) with one bare repository, team.git, and people on "machines"
# of their own (a HOME, a state folder and a work folder each). Source it
# after nothing else; then set ref (the session's ref on the server).
#
#   $url             the server's URL of team.git
#   $srv/team.git    the server's repository
#   $cpid            the pid of a commander the test runs in the
#                    background (killed on exit when still set)
#   published        the journal the server holds at $ref
#   wait_for COND S  wait up to S seconds for shell condition COND
#   as WHO ARGS...   rewind on WHO's machine ($tmp/WHO/{home,work,state})
#   two_checks ID T  a playbook ID titled T: a check in assess (a.look) and
#                    one in execute (e.do), nothing else, on stdout
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
. "$src/tests/lib/gitdaemon.sh"
command -v git >/dev/null || { echo "SKIP: git is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(cd "$src" && pwd) ;; esac
cpid=
trap 'exec 3>&-; [ -z "$cpid" ] || kill "$cpid" 2>/dev/null; daemon_stop; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1

srv=$tmp/srv
mkdir -p "$srv"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || { fail "no git daemon"; exit 1; }
url=$(daemon_url team.git)

published() {
	git --git-dir="$srv/team.git" show "$ref:journal.jsonl" 2>/dev/null
}

wait_for() {	# CONDITION SECONDS
	_i=0
	until eval "$1"; do
		_i=$((_i + 1))
		[ $_i -lt $(($2 * 20)) ] || { fail "waited ${2}s for: $1"; return 1; }
		sleep 0.05
	done
}

as() {	# WHO REWIND-ARGS...: on WHO's machine (own HOME and state)
	_who=$1
	shift
	mkdir -p "$tmp/$_who/work"
	(cd "$tmp/$_who/work" && env HOME="$tmp/$_who/home" \
		XDG_STATE_HOME="$tmp/$_who/state" XDG_CACHE_HOME= "$bin" "$@")
}

two_checks() {	# ID TITLE
	cat <<JSON
{
  "id": "$1",
  "title": "$2",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
}
