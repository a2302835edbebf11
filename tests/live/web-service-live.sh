#!/bin/sh
# Live run of playbooks/web-service-rollback.json against a real service:
# the test builds a small project whose backend (a python3 stdlib HTTP
# server with the seed's /api/v1/health endpoint) answers "healthy" at tag
# v1.0.0 and "degraded" at v1.1.0, starts the v1.1.0 backend on a free
# loopback port as "production", then walks the P1 partial rollback
# (RESPONSE=rollback, SCOPE=backend) with `rewind run --batch`. The
# playbook's own commands stop the service by its recorded pid, wait for
# the port to be free, check out backend/ src/ requirements.txt from
# v1.0.0, reinstall the (empty) requirements, start the backend recording
# its pid, and its health step curls the real endpoint. The test then
# checks the old process is gone, the new one answers healthy, and only the
# backend went back.
# Prerequisites: git, python3 with its venv module, curl, ss and lsof (else
# SKIP, or FAIL under REWIND_REQUIRE_LIVE_TESTS=1). As a real deployment
# would, the service gets its own virtual environment, whose python and pip
# come first on PATH: Debian's system pip refuses to install outside one
# (PEP 668). lsof is only used by the find-backend step, which is marked
# not applicable without it outside CI.
LIVE_TEST=web-service-live
. "${REWIND_SRCDIR:-.}/tests/live/livelib.sh"

for cmd in git python3 curl ss; do
	skip_unless_cmd "$cmd" "the playbook's commands use it"
done
# The virtual environment is made without network (ensurepip's bundled
# wheel); Debian ships that module as python3-venv.
if ! python3 -m venv "$LIVE_TMP/venv" >"$LIVE_TMP/venv.log" 2>&1; then
	cat "$LIVE_TMP/venv.log"
	skip_unless_cmd rewind-no-such-command \
		"python3 -m venv failed: install python3-venv"
fi
export VIRTUAL_ENV="$LIVE_TMP/venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
for cmd in python pip; do
	skip_unless_cmd "$cmd" "the playbook's commands use it (from the virtual environment)"
done
if [ "${REWIND_REQUIRE_LIVE_TESTS:-0}" = 1 ]; then
	skip_unless_cmd lsof "for the find-backend step"
fi
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=rewind GIT_COMMITTER_NAME=rewind
export GIT_AUTHOR_EMAIL=rewind@example.invalid
export GIT_COMMITTER_EMAIL=rewind@example.invalid
# Every backend started here stops by itself after this many seconds.
export SERVICE_LIFETIME=180

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
	exit 99
url=http://127.0.0.1:$port/api/v1/health
repo=$LIVE_TMP/montecarlo
LIVE_CLEANUP='for f in "$repo/prod.pid" "$repo/rollback_backend.pid"; do
	[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done'

write_backend() {	# $1 = healthy or degraded
	mkdir -p backend/app
	: >backend/app/__init__.py
	cat >backend/app/main.py <<PY
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

STATUS = "$1"


class Health(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/api/v1/health":
            self.send_error(404)
            return
        body = json.dumps({"status": STATUS}).encode()
        self.send_response(200 if STATUS == "healthy" else 503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("INFO " + fmt % args, flush=True)


server = HTTPServer(("127.0.0.1", int(os.environ.get("BACKEND_PORT", "8000"))), Health)
threading.Timer(int(os.environ.get("SERVICE_LIFETIME", "180")), server.shutdown).start()
print("INFO backend $1 listening", flush=True)
server.serve_forever()
PY
}

build_repo() {
	mkdir -p "$repo" && cd "$repo" || exit 99
	git init -q -b main . || exit 99
	write_backend healthy
	mkdir -p src frontend
	echo "def simulate(n): return n * 1.0" >src/model.py
	echo "<h1>Monte Carlo 1.0</h1>" >frontend/index.html
	echo "# the backend needs the standard library only" >requirements.txt
	printf '*.log\n*.pid\n__pycache__/\n' >.gitignore
	git add -A && git commit -q -m "Release 1.0.0" &&
		git tag -a v1.0.0 -m "Release 1.0.0" || exit 99
	write_backend degraded
	echo "def simulate(n): return n * 10.0  # unit conversion lost" >src/model.py
	echo "<h1>Monte Carlo 1.1 (new charts)</h1>" >frontend/index.html
	git commit -q -am "Release 1.1.0: new charts, refactored model" &&
		git tag -a v1.1.0 -m "Release 1.1.0" || exit 99
}

httpreq=$(cd "$src" && pwd)/tests/fixtures/httpreq.py
health() {	# the endpoint's body, whatever its status (test plumbing: no curl)
	python3 "$httpreq" --timeout 2 "$url" 2>/dev/null
}

wait_health() {	# $1 = expected status word; up to 30 s (a busy machine)
	i=0
	while [ "$i" -lt 300 ]; do
		health | grep -q "\"status\": \"$1\"" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

build_repo
# Production runs the broken release.
(cd backend || exit 99
	BACKEND_PORT=$port nohup python3 -m app.main >../prod.log 2>&1 &
	echo $! >../prod.pid)
prod_pid=$(cat prod.pid)
wait_health degraded || fail "the v1.1.0 backend did not come up on port $port"

if command -v lsof >/dev/null 2>&1; then
	find_line="run decide.find-backend"
else
	echo "# lsof is not installed: decide.find-backend is marked not applicable"
	find_line='na decide.find-backend "lsof is not installed; pid known from prod.pid"'
fi

walk=$LIVE_TMP/backend.walk
cat >"$walk" <<WALK
set ENVIRONMENT production
run assess.current
set CURRENT_TAG v1.1.0
set INCIDENT_LINK INC-2042
set ISSUE "Monte Carlo results off by an order of magnitude"
set IMPACT "every simulation result is wrong"
set SEVERITY P1
set FIX_OUTLOOK risky
set HEALTH_URL $url
next
choose decide.response rollback P1 and the candidate fix is risky
choose decide.scope backend the regression is in the backend only
run decide.tags
set RESTORE_TAG v1.0.0
tick decide.target-stable v1.0.0 stable in the version history
$find_line
set BACKEND_PID $prod_pid
set REASON "wrong Monte Carlo results in v1.1.0"
set ETA "15:10 UTC"
next
approve approve.lead "Engineering Lead" dana approved
next
send execute.notify-start
tick execute.backup-logs copied to the incident folder
confirm execute.stop-backend $prod_pid
run execute.stop-backend
run execute.backend-port-free
confirm execute.checkout-backend v1.0.0
run execute.checkout-backend
run execute.pip-install
run execute.start-backend
next
run verify.health
tick verify.smoke reference portfolio matches
tick verify.functionality checked
run verify.backend-log
tick verify.errors clean
na verify.monitor "bounded test: the 15-minute watch is not waited out"
next
send communicate.notify-complete
tick communicate.status-page updated
tick communicate.ticket updated
tick communicate.version-history v1.1.0 backend marked unstable
tick communicate.metrics detect 10m, decide 5m, execute 4m
tick communicate.root-cause unit conversion dropped in refactor
tick communicate.postmortem booked
next
WALK

s=$LIVE_TMP/session
live_walk "$src/playbooks/web-service-rollback.json" "$s" "$walk" \
	--var "BACKEND_PORT=$port"

for step in assess.current decide.tags execute.stop-backend \
	execute.backend-port-free execute.checkout-backend \
	execute.pip-install execute.start-backend verify.health \
	verify.backend-log; do
	expect_ran_live "$s" "$step"
done
step_finished "$s" verify.health | grep -q 'healthy' ||
	fail "the health step did not see the healthy answer"

# --- the service and the tree, inspected by the test ---------------------------
kill -0 "$prod_pid" 2>/dev/null && fail "the v1.1.0 backend (pid $prod_pid) still runs"
[ -s rollback_backend.pid ] || fail "the new backend's pid was not recorded"
new_pid=$(cat rollback_backend.pid)
[ "$new_pid" != "$prod_pid" ] || fail "the pid did not change"
kill -0 "$new_pid" 2>/dev/null || fail "the restarted backend (pid $new_pid) is not running"
health | grep -q '"status": "healthy"' || fail "the endpoint does not answer healthy"
git diff --quiet v1.0.0 -- backend/ src/ requirements.txt ||
	fail "backend/, src/ and requirements.txt are not the v1.0.0 versions"
git diff --quiet v1.1.0 -- frontend/ || fail "the frontend was rolled back too"
[ "$(git rev-parse HEAD)" = "$(git rev-parse v1.1.0^{commit})" ] ||
	fail "HEAD moved in a partial rollback"
grep -q "backend healthy listening" rollback_backend.log ||
	fail "rollback_backend.log does not show the healthy backend starting"
echo "web-service-live: backend rolled back for real: pid $prod_pid stopped, v1.0.0 backend pid $new_pid healthy on 127.0.0.1:$port"
