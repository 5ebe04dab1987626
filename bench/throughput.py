"""Throughput of the portal's pages against a bare Flask app, in one run.

    python bench/throughput.py [--seconds 2] [--rounds 3] [--connections 16]

Starts the portal (embedded registry and database, demo data, in a temporary
folder) and bench/bare_flask.py under gunicorn with the repository's
gunicorn.conf.py, so both get the same workers, threads and access log. Then,
page by page, wrk loads the bare app and then the portal page, in rounds
(three by default), and the table gives, for the round with the median ratio,
the page's requests per second, p50 and p99 latency, and its ratio to the bare
app measured just before it. Requests carry the headers a
phone's browser sends (Accept-Encoding), so compression is paid for.

Targets (issue 9): every citizen page ≥ 0.5 × bare Flask with p99 ≤ 5 × p50;
the registry-backed page ≥ 0.2 × with p99 ≤ 250 ms at 16 connections; a warm
embedded registry round trip ≤ 2 ms. The script exits non-zero when wrk saw
errors or a page answered with the wrong status, not when a target is missed:
machines differ, the table says how far each page is from its target.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is not a package; the portal is importable from here

from bench.citizen_sessions import screener_session, signed_in_sessions  # noqa: E402
from bench.round_trip import embedded_round_trip_ms  # noqa: E402

BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
THREADS = 2  # wrk's
START_OVER = ROOT / "bench" / "start_over.lua"
SESSIONS_PER_THREAD = 24  # see start_over.lua


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    cookie: str | None = None  # which prepared session the request carries
    status: int = 200
    script: Path | None = None  # a wrk script that makes the requests
    target: float = 0.5  # of bare Flask's requests per second


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict, log: Path):
    """Serve `app` with gunicorn.conf.py on a free loopback port; yield its base URL."""
    port = free_port()
    env = {**env, "PORTAL_BIND": f"127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server, log)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped; its log:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(base + "/", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within 60 s; its log:\n{log.read_text()[-3000:]}")


DURATION = re.compile(r"([\d.]+)(us|ms|s)\b")
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = DURATION.fullmatch(text.strip()).groups()
    return float(value) * UNITS_MS[unit]


def wrk(
    url: str, seconds: float, connections: int, headers: dict[str, str], script: Path | None = None
) -> Load:
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    command += ["--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if script is not None:
        command[1:1] = ["-s", str(script)]
        command += ["--", str(THREADS)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    problems = [
        line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line
    ]
    return Load(rps, p50, p99, "; ".join(problems))


def check_status(base: str, page: Page, cookies: dict[str, str]) -> None:
    headers = {**BROWSER_HEADERS, **cookie_header(page, cookies)}
    answer = httpx.get(base + page.path, headers=headers, timeout=30)
    if answer.status_code != page.status:
        sys.exit(f"{page.name}: {page.path} answered {answer.status_code}, not {page.status}")


def cookie_header(page: Page, cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": f"portal_session={cookies[page.cookie]}"} if page.cookie else {}


def pages(question_path: str) -> list[Page]:
    return [
        Page("/healthz", "/healthz"),
        Page("home /", "/"),
        Page("screener start /eligibility", "/eligibility"),
        Page("a question", question_path, cookie="screener"),
        Page("check answers", "/eligibility/check", cookie="screener"),
        Page("results", "/eligibility/results", cookie="screener"),
        Page("sign-in /login", "/login"),
        Page("figures /figures", "/figures"),
        Page("figures of a commune", "/figures/070201"),
        Page(
            "signed in: start again, /eligibility/next (registry)",
            "/eligibility/next",
            status=302,
            target=0.2,
            script=START_OVER,
        ),
    ]


@dataclass(frozen=True)
class Measured:
    ratio: float  # the median round's req/s ÷ bare Flask's just before
    load: Load  # the portal page in that round
    baseline: Load  # bare Flask in that round
    reads: int  # registry access-log entries written in all rounds
    errors: list[str]


def measure(page: Page, url: str, bare_url: str, headers: dict, args, folder: Path) -> Measured:
    """Rounds of bare Flask then the page; the round with the median ratio."""
    wrk(url, 1, args.connections, headers, page.script)  # every worker warm
    rounds, reads = [], 0
    for _ in range(args.rounds):
        baseline = wrk(bare_url, args.seconds, args.connections, BROWSER_HEADERS)
        before = person_reads(folder)
        load = wrk(url, args.seconds, args.connections, headers, page.script)
        reads += person_reads(folder) - before
        rounds.append((load.rps / baseline.rps, load, baseline))
    rounds.sort(key=lambda measured: measured[0])
    ratio, load, baseline = rounds[len(rounds) // 2]
    errors = [run.errors for _, *runs in rounds for run in runs if run.errors]
    return Measured(ratio, load, baseline, reads, errors)


def person_reads(folder: Path) -> int:
    """Access-log entries the embedded registry has written so far: one per
    person a read touched (a household's read logs each of its members)."""
    with closing(sqlite3.connect(folder / "registry.db")) as database:
        return database.execute("SELECT count(*) FROM access_log").fetchone()[0]


def prepare_instance(folder: Path) -> dict:
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE_PATH": str(folder),
        "PORTAL_SECRET_KEY": "bench-" + "x" * 40,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("PORTAL_DATABASE_URL", "PORTAL_REGISTRY_URL", "PORTAL_REDIS_URL"):
        env.pop(name, None)
    flask = [sys.executable, "-m", "flask", "--app", "portal"]
    subprocess.run([*flask, "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    # The figures pages read what the outbox worker's job computed.
    subprocess.run(
        [*flask, "figures", "compute"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2, help="each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="bare app then page, per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--only", default="", help="measure only pages whose name contains this (e.g. results)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make bench` installs Debian's wrk package")
    started = time.monotonic()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        env = prepare_instance(folder)
        bare = stack.enter_context(gunicorn("bench.bare_flask:app", env, folder / "bare.log"))
        portal = stack.enter_context(gunicorn("portal:create_app()", env, folder / "portal.log"))
        question_path, screener_cookie = screener_session(portal)
        cookies = {"screener": screener_cookie}
        sessions = folder / "sessions.txt"
        signed_in = signed_in_sessions(portal, SESSIONS_PER_THREAD * THREADS)
        sessions.write_text("".join(f"{cookie} {token}\n" for cookie, token in signed_in))
        env["BENCH_SESSIONS"] = os.environ["BENCH_SESSIONS"] = str(sessions)
        print(
            f"gunicorn.conf.py on {os.cpu_count()} cores; wrk -t{THREADS} -c{args.connections} "
            f"-d{args.seconds:g}s per run; per page {args.rounds} rounds of bare Flask then the "
            "page; the round with the median ratio is shown\n"
        )
        print("| page | req/s | p50 ms | p99 ms | p99 ÷ p50 | bare req/s | ÷ bare | target |")
        print("|---|---|---|---|---|---|---|---|")
        failed = False
        for page in [page for page in pages(question_path) if args.only in page.name]:
            if page.script is None:
                check_status(portal, page, cookies)
            headers = {**BROWSER_HEADERS, **cookie_header(page, cookies)}
            result = measure(page, portal + page.path, bare + "/", headers, args, folder)
            load = result.load
            mark = "✓" if result.ratio >= page.target else "✗"
            print(
                f"| {page.name} | {load.rps:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} "
                f"| {load.p99_ms / load.p50_ms:.1f} | {result.baseline.rps:,.0f} "
                f"| {result.ratio:.2f} {mark} | ≥ {page.target} |",
                flush=True,
            )
            if page.script is not None:
                print(f"  registry access-log entries written: {result.reads}")
            for problem in result.errors:
                print(f"  {page.name}: {problem}")
                failed = True
        round_trip = embedded_round_trip_ms(env)
        print(
            f"\nwarm embedded registry round trip: p50 {round_trip[0]:.2f} ms, "
            f"p99 {round_trip[1]:.2f} ms (target ≤ 2 ms)"
        )
    print(f"finished in {time.monotonic() - started:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
