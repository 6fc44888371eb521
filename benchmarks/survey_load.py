"""Check-in GET+POST under gunicorn beside a hello-world endpoint: the ratio, p99 and the
workers' CPU per request, for the record (#18 withdrew the 0.5 goal: the cost is Flask,
SQLAlchemy and Jinja per request, and one 2-core server carries far more check-ins than any
practice sends).

    .venv/bin/python -m benchmarks.survey_load [--iterations 600] [--concurrency 8]
        [--workers 2] [--threads 1]     # --threads over 1: gthread workers

Starts gunicorn on a free port on 127.0.0.1, loads the hello endpoint and then the check-in
(each iteration opens a fresh link's PHQ-9 page, keeps its CSRF cookie and token, and posts a
complete answer), and prints requests per second, the ratio of the two, and p50/p99 latency.
Every request goes to this machine only, and the run stops by itself.

This script's client threads share the machine's CPUs with gunicorn, so requests per second
mix the server's cost with the client's. Each line therefore also gives the gunicorn workers'
own CPU time per request ("CPU ms/req", read from /proc; "n/a" off Linux).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import bench_database_url, prepare

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ANSWERS = {f"phq9_{n}": "1" for n in range(1, 10)} | {"phq9_9": "0", "action": "next"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(
    port: int, method: str, path: str, body: str | None = None, cookie: str | None = None
) -> tuple[int, str, str | None, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode()
    set_cookie = response.getheader("Set-Cookie")
    conn.close()
    return response.status, text, set_cookie, time.perf_counter() - start


def hello(port: int) -> list[float]:
    status, _, _, seconds = request(port, "GET", "/bench/hello")
    assert status == 200, status
    return [seconds]


def check_in(port: int, token: str) -> list[float]:
    status, html, set_cookie, get_seconds = request(port, "GET", f"/s/{token}/1")
    assert status == 200, status
    cookie = set_cookie.split(";")[0] if set_cookie else None
    form = {"csrf_token": TOKEN.search(html).group(1), **ANSWERS}  # type: ignore[union-attr]
    status, _, _, post_seconds = request(port, "POST", f"/s/{token}/1", urlencode(form), cookie)
    assert status == 302, status
    return [get_seconds, post_seconds]


def workers_cpu_seconds(master: int) -> float | None:
    """User and system CPU time of gunicorn's workers so far; None where /proc is not there."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (stat fields 14, 15)
    except OSError:
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def run(label: str, jobs: list, concurrency: int, master: int) -> tuple[float, list[float]]:
    cpu_before = workers_cpu_seconds(master)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = [s for result in pool.map(lambda job: job(), jobs) for s in result]
    elapsed = time.perf_counter() - started
    cpu_after = workers_cpu_seconds(master)
    rate = len(latencies) / elapsed
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    cpu = "n/a"
    if cpu_before is not None and cpu_after is not None:
        cpu = f"{(cpu_after - cpu_before) / len(latencies) * 1000:.2f}"
    print(f"{label:<28}{len(latencies):>9}{rate:>12.1f}{p50:>10.1f}{p99:>10.1f}{cpu:>12}")
    return rate, latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="over 1: gthread workers")
    args = parser.parse_args()
    url = bench_database_url()
    tokens = prepare(url, args.iterations)
    port = free_port()
    env = {**os.environ, "MBC_BENCH_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.load_app:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                request(port, "GET", "/bench/hello")
                break
            except OSError:
                time.sleep(0.1)
        db = url.split(":")[0]
        kind = "sync" if args.threads == 1 else f"gthread ({args.threads} threads each)"
        print(f"gunicorn {args.workers} {kind} workers, {args.concurrency} client threads, {db}")
        print(
            f"{'endpoint':<28}{'requests':>9}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}"
            f"{'CPU ms/req':>12}"
        )
        hello_rate, _ = run(
            "hello world",
            [lambda: hello(port)] * (args.iterations * 2),
            args.concurrency,
            server.pid,
        )
        jobs = [lambda t=t: check_in(port, t) for t in tokens]
        survey_rate, _ = run("check-in GET+POST (each)", jobs, args.concurrency, server.pid)
        ratio = survey_rate / hello_rate
        print(f"ratio check-in / hello: {ratio:.2f} (for the record; no goal since #18)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
