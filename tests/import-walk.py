#!/usr/bin/env python3
"""Walk every decision path of a playbook in drill batch mode and check the
session's journal: every command that ran is shell (its first word is a
known command, a shell word, an assignment or a path; no "$ " prompt, no
flowchart arrow), no destructive step started before an approval and no
secret variable's value reached the journal.

usage: import-walk.py REWIND_BIN PLAYBOOK.json WORKDIR
Prints one line per failure; exits 1 on any, 0 otherwise."""
import itertools
import json
import os
import re
import subprocess
import sys

MAX_PATHS = 128

# Commands the runbooks of the corpus use, plus shell words. Written out
# here on purpose: the importer's own rule (core/mdimport.c) is not used,
# so the check is independent of the code it tests.
COMMANDS = set("""
alembic argocd aws az bundle cargo cat cd chmod cp curl date diff docker echo
env eval exec exit export false fastlane find flyway gcloud gh git grep gsutil
gunzip gzip head helm jq journalctl kill kubectl liquibase ln local ls make
mkdir mv mysql node npm npx oc openssl pg_dump pg_restore pip pip3 pkill pnpm
poetry printf psql python python3 rails read redis-cli rm sed set sha256sum
sleep sort source sqlite3 ssh sudo systemctl tail tar tee terraform test
timeout tofu touch tr trap true twine uniq unset until wait watch wc while
xargs yarn for if case do done fi then else elif esac function { } [ [[ ! .
awk aws-vault bash sh stern sqitch knex prisma rake istioctl linkerd consul
vault kustomize skaffold xcrun bundletool firebase expo eas heroku fly
pypi-yank ps lsof pytest nomad
""".split())

ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def first_word(cmd):
    for line in cmd.splitlines():
        t = line.strip()
        if t and not t.startswith("#"):
            return t.split()[0]
    return ""


def shell_problem(cmd):
    """Why CMD is not a shell command, or None."""
    for line in cmd.splitlines():
        if line.lstrip().startswith("$ "):
            return "a line starts with a '$ ' prompt"
    if "-->" in cmd or "\u2192" in cmd:
        return "it holds a flowchart arrow"
    w = first_word(cmd)
    if not w:
        return "it is empty"
    if ASSIGN.match(w) or w[0] in "./~$(" or w in COMMANDS:
        return None
    return "its first word %r is no command" % w


def when_holds(step, vals):
    for var, want in (step.get("when") or {}).items():
        want = want if isinstance(want, list) else [want]
        if vals.get(var) not in want:
            return False
    return True


def value_for(name, var):
    pat = var.get("pattern")
    cands = ["1.2.3", "v1.2.3", "abc1234", "42", "web", "value-1"]
    if var.get("secret"):
        cands.insert(0, secret_value(name))
    if pat:
        m = re.match(r"^\(([^()]*)\)$", pat)
        if m:
            cands.insert(0, m.group(1).split("|")[0])
    for c in cands:
        if not pat or re.fullmatch(pat, c):
            return c
    return cands[0]


def secret_value(name):
    """A value of a secret variable no journal may hold."""
    return "s3cret-%s-x9" % name.lower().replace("_", "-")


def expand(text, vals):
    return re.sub(r"\$\{([A-Z][A-Z0-9_]*)\}",
                  lambda m: vals.get(m.group(1), ""), text)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def walk_lines(pb, choices):
    """Batch actions for one path; CHOICES maps decide step id -> option.
    Returns (lines, decide steps met without a choice)."""
    variables = pb.get("variables", {})
    vals, lines, open_decides = {}, [], []
    for phase in pb["phases"]:
        for st in phase["steps"]:
            if not when_holds(st, vals):
                continue
            kind, sid = st["kind"], st["id"]
            if kind == "check":
                lines.append("tick %s walked" % sid)
            elif kind in ("run", "probe", "wait"):
                if st.get("destructive"):
                    lines.append("confirm %s %s" % (
                        sid, quote(expand(st.get("confirm", sid), vals))))
                lines.append("run %s" % sid)
            elif kind == "decide":
                opts = [o["id"] for o in st["options"]]
                if sid not in choices:
                    open_decides.append((sid, opts))
                    return lines, open_decides
                opt = choices[sid]
                lines.append("choose %s %s walking every path" % (sid, opt))
                if st.get("variable"):
                    vals[st["variable"]] = opt
                for o in st["options"]:
                    if o["id"] == opt:
                        vals.update(o.get("sets", {}))
            elif kind == "input":
                var = st["variable"]
                vals[var] = value_for(var, variables.get(var, {}))
                lines.append("set %s %s" % (var, quote(vals[var])))
            elif kind == "approve":
                for i, r in enumerate(st["roles"]):
                    for k in range(r.get("count", 1)):
                        lines.append("approve %s %s approver%d%d ok" % (
                            sid, quote(r["role"]), i, k))
            elif kind == "message":
                lines.append("send %s" % sid)
        lines.append("next")
    return lines, open_decides


def all_paths(pb):
    paths, todo = [], [{}]
    while todo:
        choices = todo.pop()
        lines, open_decides = walk_lines(pb, choices)
        if not open_decides:
            paths.append((choices, lines))
            if len(paths) > MAX_PATHS:
                break
            continue
        sid, opts = open_decides[0]
        for o in opts:
            todo.append(dict(choices, **{sid: o}))
    return paths


def check_journal(pb, jpath, label):
    destructive = {s["id"] for p in pb["phases"] for s in p["steps"]
                   if s.get("destructive")}
    problems, approved, completed = [], False, False
    secrets = [secret_value(n) for n, v in pb.get("variables", {}).items()
               if v.get("secret")]
    for line in open(jpath, encoding="utf-8"):
        for s in secrets:
            if s in line:
                problems.append("%s: a secret's value is in the journal" %
                                label)
        ev = json.loads(line)
        t, step = ev.get("type"), ev.get("step")
        if t == "approval.granted":
            approved = True
        elif t == "session.completed":
            completed = True
        elif t == "step.started":
            why = shell_problem(ev.get("payload", {}).get("command", ""))
            if why:
                problems.append("%s: %s ran non-shell text: %s" % (
                    label, step, why))
            if step in destructive and not approved:
                problems.append("%s: destructive %s ran before any "
                                "approval" % (label, step))
    if not completed:
        problems.append("%s: the walk did not complete the session" % label)
    return problems


def main():
    rewind, pbpath, work = sys.argv[1:4]
    pb = json.load(open(pbpath, encoding="utf-8"))
    paths = all_paths(pb)
    problems = []
    if len(paths) > MAX_PATHS:
        problems.append("%s: more than %d decision paths" % (pbpath,
                                                             MAX_PATHS))
    for n, (choices, lines) in enumerate(paths):
        label = "%s path %d %s" % (os.path.basename(pbpath), n,
                                   json.dumps(choices, sort_keys=True))
        sdir = os.path.join(work, "s%d" % n)
        r = subprocess.run([rewind, "drill", pbpath, "--batch", "--operator",
                            "olga", "--session-dir", sdir,
                            "--no-real-in-clone"],
                           input="\n".join(lines) + "\n", text=True,
                           capture_output=True)
        if r.returncode != 0:
            errs = [l for l in r.stdout.splitlines() if '"error"' in l][:3]
            problems.append("%s: drill exited %d: %s %s" % (
                label, r.returncode, " ".join(errs), r.stderr.strip()[-300:]))
            continue
        problems += check_journal(pb, os.path.join(sdir, "journal.jsonl"),
                                  label)
    for p in problems:
        print("FAIL: " + p)
    print("%s: %d decision path%s walked" % (
        os.path.basename(pbpath), len(paths), "" if len(paths) == 1 else "s"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
