#!/usr/bin/env python3
"""Crash test (reliability issue, item 5): N cycles of `kill -9` of a dangvu server under
concurrent writes, on SQLite or PostgreSQL. Each cycle starts the server, lets writers create
tasks through the API, kills the server at a random moment, checks the audit chain with
`dangvu audit verify`, restarts, and checks that every write the server acknowledged (201 with
an id) is stored with its title. At the end every acknowledged task of every cycle is looked
for again. Exit 0 when nothing acknowledged was lost and the chain verified every time.

    scripts/crash-test.py --engine sqlite --cycles 100
    scripts/crash-test.py --engine postgres --cycles 20 --admin-url postgres://postgres@127.0.0.1:5432/postgres

Standard library only. Uses target/debug/dangvu unless --binary is given (build it first:
`cargo build --bin dangvu`).
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PASSWORD = "crash-test-password-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


def run(binary, *args, stdin=None):
    out = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True)
    return out.returncode, out.stdout + out.stderr


class Server:
    def __init__(self, binary, url):
        self.binary, self.url, self.proc, self.base = binary, url, None, None

    def start(self):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--database-url", self.url, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if call(self.base, "GET", "/healthz", timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("the server did not start")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def writer(base, token, org, cycle, n, acknowledged, stop):
    i = 0
    while not stop.is_set():
        title = f"crash {cycle}-{n}-{i}"
        try:
            status, body = call(base, "POST", "/api/v1/tasks", token,
                                {"title": title, "org_id": org, "lead_org_id": org, "due_on": "2030-12-31"}, timeout=5)
        except OSError:
            return  # the server is gone: what was not answered was not acknowledged
        if status == 201:
            acknowledged.append((body["id"], title))
        i += 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--cycles", type=int, default=10)
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--binary", default="target/debug/dangvu")
    p.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--seed", type=int, default=None)
    a = p.parse_args()
    rng = random.Random(a.seed)

    if a.engine == "sqlite":
        tmp = tempfile.mkdtemp(prefix="dangvu-crash-")
        url = f"sqlite://{tmp}/crash.sqlite"
    else:
        name = f"dangvu_crash_{os.getpid()}"
        subprocess.run(["psql", a.admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = a.admin_url.rsplit("/", 1)[0] + "/" + name
    code, out = run(a.binary, "migrate", "--database-url", url)
    assert code == 0, out
    code, out = run(a.binary, "user", "add", "--database-url", url, "--username", "crash", "--role", "admin",
                    "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, out

    server = Server(a.binary, url)
    server.start()
    status, s = call(server.base, "POST", "/api/v1/session", body={"username": "crash", "password": PASSWORD})
    assert status == 200, status
    status, org = call(server.base, "POST", "/api/v1/orgs", s["token"],
                       {"code": "CRASH", "name": "Đảng bộ thử", "kind": "province", "parent_id": None})
    assert status == 201, status
    org = org["id"]

    everything, lost, broken = [], 0, 0
    started = time.time()
    for cycle in range(a.cycles):
        status, s = call(server.base, "POST", "/api/v1/session", body={"username": "crash", "password": PASSWORD})
        assert status == 200, f"sign-in answered {status}"
        acknowledged, stop = [], threading.Event()
        threads = [threading.Thread(target=writer, args=(server.base, s["token"], org, cycle, n, acknowledged, stop))
                   for n in range(a.writers)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.5))
        server.kill()
        stop.set()
        for t in threads:
            t.join()
        code, out = run(a.binary, "audit", "verify", "--database-url", url)
        if code != 0:
            broken += 1
            print(f"cycle {cycle}: the audit chain does not verify: {out.strip()}", flush=True)
        server.start()
        status, s = call(server.base, "POST", "/api/v1/session", body={"username": "crash", "password": PASSWORD})
        missing = [(i, t) for i, t in acknowledged
                   if (r := call(server.base, "GET", f"/api/v1/tasks/{i}", s["token"]))[0] != 200 or r[1]["title"] != t]
        lost += len(missing)
        everything += acknowledged
        print(f"cycle {cycle + 1}/{a.cycles}: {len(acknowledged)} acknowledged, {len(missing)} lost", flush=True)

    status, s = call(server.base, "POST", "/api/v1/session", body={"username": "crash", "password": PASSWORD})
    final_missing = sum(1 for i, t in everything
                        if (r := call(server.base, "GET", f"/api/v1/tasks/{i}", s["token"]))[0] != 200
                        or r[1]["title"] != t)
    server.kill()
    code, out = run(a.binary, "audit", "verify", "--database-url", url)
    print(f"{a.engine}: {a.cycles} kill -9 cycles, {a.writers} writers, {len(everything)} acknowledged writes, "
          f"{lost} lost at restart, {final_missing} missing at the end, audit chain broken {broken} times, "
          f"final verify: {out.strip()} ({time.time() - started:.0f} s)")
    if a.engine == "postgres":
        subprocess.run(["psql", a.admin_url, "-qc", f"DROP DATABASE {name} WITH (FORCE)"])
    sys.exit(0 if lost == 0 and final_missing == 0 and broken == 0 and code == 0 else 1)


if __name__ == "__main__":
    main()
