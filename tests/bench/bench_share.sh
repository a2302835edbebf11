#!/bin/sh
# Sharing through a git remote, against a real git daemon on loopback:
#  - publish latency: a note journalled (its wall time in the journal) to
#    the server's refs/rewind/sessions/ID holding it, over 20 notes, one at
#    a time (goal: median < 500 ms);
#  - inbox latency: rewind approve REMOTE#SESSION issued on another HOME to
#    approval.granted journalled by the commander's run (its wall time),
#    over 10 sign-offs (goal: median < 5 s, the console's promise).
# Median and p90 of each.
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(cd "$src" && pwd) ;; esac
command -v git >/dev/null && command -v python3 >/dev/null ||
	{ echo "share: git and python3 are needed (skipped)"; exit 0; }
tmp=$(mktemp -d) || exit 1
cpid=
. "$src/tests/lib/gitdaemon.sh"
trap 'exec 3>&-; [ -z "$cpid" ] || kill "$cpid" 2>/dev/null; daemon_stop; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC GIT_CONFIG_NOSYSTEM=1
mkdir -p "$tmp/srv" "$tmp/home" "$tmp/bob"
git init -q --bare "$tmp/srv/team.git"
daemon_start "$tmp/srv" team.git >/dev/null || { echo "share: no git daemon"; exit 1; }
url=$(daemon_url team.git)

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "bench-share",
  "title": "Shared",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "ten sign",
        "roles": [ { "role": "Reviewer", "count": 10 } ] } ] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
mkfifo "$tmp/in"
"$bin" drill "$tmp/pb.json" --batch --operator alice --share "$url" \
	--session-dir "$tmp/s/b-1" <"$tmp/in" >/dev/null 2>&1 &
cpid=$!
exec 3>"$tmp/in"

python3 - "$tmp" "$url" "$bin" <<'PY' 3>&3
import datetime, json, os, subprocess, sys, time
tmp, url, binary = sys.argv[1:]
journal = tmp + "/s/b-1/journal.jsonl"
fifo = os.fdopen(3, "w")
srv = tmp + "/srv/team.git"
ref = "refs/rewind/sessions/b-1"

def send(line):
    fifo.write(line + "\n")
    fifo.flush()

def wall(line):
    w = json.loads(line)["wall"].rstrip("Z")
    return datetime.datetime.fromisoformat(w).replace(
        tzinfo=datetime.timezone.utc).timestamp()

def local_event(needle, limit=30):
    end = time.time() + limit
    while time.time() < end:
        try:
            for l in open(journal):
                if needle in l:
                    return l
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    sys.exit("share: waited %d s for %s in the journal" % (limit, needle))

def published(needle, limit=30):
    end = time.time() + limit
    while time.time() < end:
        r = subprocess.run(["git", "--git-dir=" + srv, "show",
                            ref + ":journal.jsonl"], capture_output=True,
                           text=True)
        if needle in r.stdout:
            return time.time()
        time.sleep(0.005)
    sys.exit("share: waited %d s for %s on the remote" % (limit, needle))

def stats(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2], xs[min(len(xs) - 1, int(len(xs) * 0.9))]

def verdict(ok):
    return "PASS" if ok else "MISS"

send("note warm-up")
published('"text":"warm-up"')
pub = []
for i in range(20):
    text = '"text":"sample %d"' % i
    send("note sample %d" % i)
    t0 = wall(local_event(text))
    pub.append((published(text) - t0) * 1000)
    time.sleep(0.1)		# let the share.published of it land
med, p90 = stats(pub)
print("share: publish latency, event journalled to the remote ref holding "
      "it (loopback git daemon, 20 samples): median %.0f ms, p90 %.0f ms "
      "(goal: median < 500 ms) %s" % (med, p90, verdict(med < 500)))

# The floor: git push itself, one small commit at a time, to the same
# server (no goal: the machine's own figure).
floor = []
work = tmp + "/floor"
subprocess.run(["git", "init", "-q", work], check=True)
for i in range(5):
    subprocess.run(["git", "-C", work, "-c", "user.name=b", "-c",
                    "user.email=b@localhost", "commit", "-q",
                    "--allow-empty", "-m", str(i)], check=True)
    t0 = time.time()
    subprocess.run(["git", "-C", work, "push", "-q", url,
                    "HEAD:refs/heads/floor"], check=True)
    floor.append((time.time() - t0) * 1000)
print("share: for comparison, a bare git push of one commit to the same "
      "server: median %.0f ms" % stats(floor)[0])

send("tick a.look")
send("next")
send("next")
published('"to":"approve"')
env = dict(os.environ, HOME=tmp + "/bob", XDG_STATE_HOME=tmp + "/bob/state")
env.pop("XDG_CACHE_HOME", None)
inbox = []
for i in range(10):
    name = "reviewer%d" % i
    t0 = time.time()
    r = subprocess.run([binary, "approve", url + "#b-1", "p.sign", "--role",
                        "Reviewer", "--as", name, "--yes"], env=env,
                       cwd=tmp + "/bob", capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("share: rewind approve failed: " + r.stdout + r.stderr)
    line = local_event('"name":"%s"' % name, 30)
    inbox.append((wall(line) - t0) * 1000)
med, p90 = stats(inbox)
print("share: inbox latency, rewind approve REMOTE#SESSION issued to "
      "approval.granted journalled by the commander (10 samples): median "
      "%.0f ms, p90 %.0f ms (goal: median < 5000 ms) %s"
      % (med, p90, verdict(med < 5000)))
send("quit")
PY
rc=$?
exec 3>&-
wait "$cpid" 2>/dev/null
cpid=
exit $rc
