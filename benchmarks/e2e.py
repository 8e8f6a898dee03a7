"""End-to-end benchmarks: each app behind a real server, loaded by wrk over loopback.

``python -m benchmarks.e2e --help``.  Every framework's app (the ``benchmarks/apps``
modules of the in-process suite) is served by uvicorn (one worker, uvloop + httptools,
access log off) and by granian (one worker, uvloop, HTTP/1, access log off, when it is
installed), each server pinned to one core and wrk (one thread) to another.  Before
anything is timed, every server answers every scenario once and the answer is checked
(status, content type, body), then gets a warm-up.  Then ``--repeats`` rounds: each
round runs wrk for ``--duration`` seconds on every scenario of every server, in an order
rotated every round, so noise from other work on the machine hits all alike.  A cell is
the median over rounds (and the lowest and highest round) of requests/s and of the p50
and p99 latencies.  Around every wrk run, ``/proc/stat`` says how much of each core
other processes used: that is reported as the machine's load.  All servers are stopped
at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import machine
from benchmarks.harness import FRAMEWORKS, names
from benchmarks.report import render
from benchmarks.scenarios import BY_NAME, CheckFailed, Scenario
from benchmarks.servers import (
    SERVERS,
    Server,
    ServerFailed,
    ServerPool,
    server_available,
    stop_servers_on_signals,
)

SCENARIOS = ["hello", "validation", "body", "invalid_body", "dependencies", "upload"]
EXTRA_HEADERS = {"User-Agent": "bench", "Accept": "*/*"}
MARK = "E2E_JSON "
STARTUP_SECONDS = 3.0  # per server, for the time estimate
WRK_OVERHEAD = 0.15  # seconds wrk takes beyond --duration (start, connect, report)

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d,'
    .. ' "p99_us": %d, "mean_us": %.1f, "max_us": %d, "connect": %d, "read": %d,'
    .. ' "write": %d, "status": %d, "timeout": %d}\\n',
    "MARK", summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
""".replace("MARK", MARK)


def lua_string(text: str) -> str:
    """A double-quoted Lua string literal (bytes outside printable ASCII as \\ddd)."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '\\"':
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def request_parts(scenario: Scenario) -> tuple[str, dict[str, str], str]:
    """(path with query, headers, body) as wrk and http.client send them."""
    target = scenario.path + (f"?{scenario.query}" if scenario.query else "")
    headers = dict(EXTRA_HEADERS)
    for name, value in scenario.headers:
        if name.lower() != b"content-length":  # both clients compute it
            headers[name.decode().title()] = value.decode()
    return target, headers, scenario.body.decode()


def scenario_script(scenario: Scenario) -> str:
    """A wrk Lua script sending the scenario's request (method, headers, body)."""
    _, headers, body = request_parts(scenario)
    lines = [f"wrk.method = {lua_string(scenario.method)}"]
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    if body:
        lines.append(f"wrk.body = {lua_string(body)}")
    return "\n".join(lines) + "\n" + DONE


def warmup_script(scenarios: list[Scenario]) -> str:
    """A wrk Lua script cycling through every scenario's request."""
    entries = []
    for scenario in scenarios:
        target, headers, body = request_parts(scenario)
        header_table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        body_arg = lua_string(body) if body else "nil"
        entries.append(
            f"wrk.format({lua_string(scenario.method)}, {lua_string(target)}, "
            f"{{{header_table}}}, {body_arg})"
        )
    return (
        "local requests, i = {}, 0\n"
        "init = function(args)\n  requests = {" + ", ".join(entries) + "}\nend\n"
        "request = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n" + DONE
    )


def check(server: Server, scenario: Scenario) -> None:
    """Make the scenario's request once over HTTP; raise CheckFailed unless as expected."""
    target, headers, body = request_parts(scenario)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(scenario.method, target, body=body.encode() or None, headers=headers)
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    pairs = [(name.lower().encode(), value.encode()) for name, value in response.getheaders()]
    scenario.check(response.status, pairs, content)


class Wrk:
    """Runs wrk pinned to the client core; returns the numbers its ``done()`` printed."""

    def __init__(self, args: argparse.Namespace, scripts: Path) -> None:
        self.args = args
        self.scripts = scripts

    def command(self, url: str, script: Path, seconds: int) -> list[str]:
        command = ["wrk", "-t1", f"-c{self.args.connections}", f"-d{seconds}s", "--latency"]
        command += ["--timeout", "5s", "-s", str(script), url]
        if self.args.client_cpu is not None and shutil.which("taskset"):
            command = ["taskset", "-c", str(self.args.client_cpu), *command]
        return command

    def run(self, server: Server, url: str, script: Path, seconds: int) -> tuple[dict, dict]:
        """Load ``url`` for ``seconds``: (wrk's numbers, other work's share of each core)."""
        cores = {self.args.server_cpu: machine.process_tree(server.pid)}
        if self.args.client_cpu is not None:
            cores.setdefault(self.args.client_cpu, [])
        meter = machine.CpuMeter(cores)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        meter.start()
        server_ns = machine.cpu_ns(cores[self.args.server_cpu])
        result = subprocess.run(
            self.command(url, script, seconds),
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=False,
        )
        server_ns = machine.cpu_ns(cores[self.args.server_cpu]) - server_ns
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk_ticks = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * (
            machine.CLOCK_TICKS
        )
        extra = {self.args.client_cpu: wrk_ticks} if self.args.client_cpu is not None else {}
        other = meter.stop(extra)
        for line in result.stdout.splitlines():
            if line.startswith(MARK):
                numbers = json.loads(line[len(MARK) :])
                numbers["server_cpu_ns"] = server_ns
                return numbers, other
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")


class Cell:
    """One server x framework x scenario: each round's wrk numbers, or an error."""

    def __init__(self) -> None:
        self.rounds: list[dict] = []
        self.error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.rounds)

    def values(self, key: str) -> list[float]:
        return [entry[key] for entry in self.rounds]

    def median(self, key: str) -> float:
        return statistics.median(self.values(key))

    def as_dict(self) -> dict:
        if not self.ok:
            return {"error": self.error or "not measured"}
        out: dict = {}
        for key in ("rps", "p50_ms", "p99_ms", "cpu_us"):
            values = self.values(key)
            out[key] = {
                "median": round(statistics.median(values), 3),
                "min": round(min(values), 3),
                "max": round(max(values), 3),
                "rounds": [round(value, 3) for value in values],
            }
        out["other_load_server_core"] = self.values("other_server_core")
        out["other_load_client_core"] = self.values("other_client_core")
        errors = {}
        for key in ("connect", "read", "write", "timeout", "unexpected_status"):
            total = sum(entry["wrk"][key] for entry in self.rounds)
            if total:
                errors[key] = total
        if errors:
            out["socket_errors"] = errors
        return out


def record(cell: Cell, numbers: dict, other: dict, args, expect_error_status: bool) -> None:
    requests = numbers["requests"]
    expected = requests if expect_error_status else 0  # wrk counts status >= 400 as errors
    numbers["unexpected_status"] = abs(numbers["status"] - expected)
    cell.rounds.append(
        {
            "rps": requests / (numbers["duration_us"] / 1e6),
            "p50_ms": numbers["p50_us"] / 1000,
            "p99_ms": numbers["p99_us"] / 1000,
            # the server's own CPU time per request: much steadier than requests/s when
            # other work competes for the core (the server then waits, using no CPU)
            "cpu_us": numbers["server_cpu_ns"] / 1000 / max(requests, 1),
            "other_server_core": other.get(args.server_cpu),
            "other_client_core": other.get(args.client_cpu),
            "wrk": numbers,
        }
    )
    if numbers["unexpected_status"] > max(1, requests // 1000):
        cell.error = f"check failed: {numbers['unexpected_status']} unexpected statuses"


def cpu_number(value: str) -> int | None:
    return None if value.lower() in ("", "none", "-1") else int(value)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.e2e",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--frameworks",
        default=FRAMEWORKS,
        type=lambda v: names(v, FRAMEWORKS),
        help="comma-separated, default: " + ",".join(FRAMEWORKS),
    )
    parser.add_argument(
        "--servers",
        default=None,
        type=lambda v: names(v, SERVERS),
        help="comma-separated, default: uvicorn,granian (granian when installed)",
    )
    parser.add_argument(
        "--scenarios",
        default=SCENARIOS,
        type=lambda v: names(v, list(BY_NAME)),
        help="comma-separated, default: " + ",".join(SCENARIOS),
    )
    parser.add_argument("--duration", type=int, default=1, help="seconds per wrk run (default 1)")
    parser.add_argument("--repeats", type=int, default=4, help="rounds (default 4)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="seconds of warm-up load per server (default 1)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=330,
        help="no new round starts past this many seconds (default 330)",
    )
    parser.add_argument("--server-cpu", type=cpu_number, default=0, help="core for servers (0)")
    parser.add_argument(
        "--client-cpu", type=cpu_number, default=1, help="core for wrk (1; 'none' to not pin)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables")
    parser.add_argument("--charts", metavar="DIR", help="also render PNG charts into DIR")
    args = parser.parse_args(argv)
    if args.servers is None:
        args.servers = [server for server in SERVERS if server_available(server)]
    if args.duration < 1 or args.repeats < 1:
        parser.error("--duration and --repeats must be at least 1")
    if (args.server_cpu is None) != (args.client_cpu is None) or (
        args.server_cpu is not None and args.server_cpu == args.client_cpu
    ):
        parser.error("--server-cpu and --client-cpu: two different cores, or both 'none'")
    return args


def versions(servers: list[str]) -> dict[str, str]:
    packages = ["hinted", "fastapi", "litestar", "starlette", "blacksheep", "pydantic"]
    found = machine.package_versions([*packages, *servers, "uvloop", "httptools"])
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    found["wrk"] = (wrk.stdout or wrk.stderr).split("Copyright")[0].strip()
    return found


def estimate(args, pairs: int) -> float:
    per_round = pairs * len(args.scenarios) * (args.duration + WRK_OVERHEAD)
    return pairs * (STARTUP_SECONDS + args.warmup) + args.repeats * per_round


def bench(args, cells: dict, info: dict) -> None:
    scenarios = [BY_NAME[name] for name in args.scenarios]
    pairs = [(server, fw) for server in args.servers for fw in args.frameworks]
    with tempfile.TemporaryDirectory() as scripts, ServerPool() as pool:
        scripts_dir = Path(scripts)
        for scenario in scenarios:
            (scripts_dir / f"{scenario.name}.lua").write_text(scenario_script(scenario))
        (scripts_dir / "warmup.lua").write_text(warmup_script(scenarios))
        wrk = Wrk(args, scripts_dir)
        started = time.monotonic()
        running: dict[tuple[str, str], Server] = {}
        for server, fw in pairs:
            running[server, fw] = pool.start(
                server, f"benchmarks.apps.{fw}_app:app", args.server_cpu
            )
        for (server, fw), process in list(running.items()):
            try:
                process.wait_ready()
                for scenario in scenarios:
                    try:
                        check(process, scenario)
                    except (CheckFailed, OSError, http.client.HTTPException) as exc:
                        text = f"check failed: {type(exc).__name__}: {exc}"
                        cells[server, fw, scenario.name].error = text[:300]
                if args.warmup:
                    wrk.run(process, process.url + "/", scripts_dir / "warmup.lua", args.warmup)
                tree = machine.process_tree(process.pid)
                info["rss_mib"].setdefault(server, {})[fw] = round(machine.rss_kib(tree) / 1024, 1)
            except (ServerFailed, RuntimeError, subprocess.TimeoutExpired) as exc:
                for scenario in scenarios:
                    cells[server, fw, scenario.name].error = f"server failed: {exc}"[:300]
                process.stop()
                del running[server, fw]
        print(f"servers started, checked and warmed up ({time.monotonic() - started:.0f} s)",
              file=sys.stderr)  # fmt: skip
        order = list(running)
        for round_index in range(args.repeats):
            round_started = time.monotonic()
            shift = round_index * len(order) // args.repeats
            rotated = order[shift:] + order[:shift]
            for scenario in scenarios:
                script = scripts_dir / f"{scenario.name}.lua"
                target, _, _ = request_parts(scenario)
                for server, fw in rotated:
                    cell = cells[server, fw, scenario.name]
                    if cell.error is not None:
                        continue
                    process = running[server, fw]
                    try:
                        numbers, other = wrk.run(
                            process, process.url + target, script, args.duration
                        )
                        record(cell, numbers, other, args, scenario.status >= 400)
                    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
                        cell.error = f"error: {exc}"[:300]
                    if process.process.poll() is not None:
                        cell.error = f"server died: {process.output(300)}"
            elapsed = time.monotonic() - started
            info["rounds"] = round_index + 1
            print(f"round {round_index + 1}/{args.repeats} done ({elapsed:.0f} s)", file=sys.stderr)
            if elapsed + (time.monotonic() - round_started) > args.budget:
                if round_index + 1 < args.repeats:
                    print(f"stopping: the next round would pass --budget {args.budget:.0f} s",
                          file=sys.stderr)  # fmt: skip
                break
        info["seconds"] = round(time.monotonic() - started, 1)


def spread(cell: Cell, key: str, show) -> str:
    values = cell.values(key)
    return f"{show(statistics.median(values))} ({show(min(values))}-{show(max(values))})"


def rate(value: float) -> str:
    return f"{value / 1000:.3g}k" if value >= 1000 else f"{value:.0f}"


def ms(value: float) -> str:
    return f"{value:.3g}"


def percent(values: list[float]) -> str:
    return f"median {statistics.median(values):.0%}, max {max(values):.0%}" if values else "n/a"


def relative_row(cells: dict, server: str, name: str, peers: list[str]) -> list[str]:
    hinted = cells[server, "hinted", name]
    ok_peers = [fw for fw in peers if cells[server, fw, name].ok]
    row = [name]
    if hinted.ok and ok_peers:
        fastest = max(ok_peers, key=lambda fw: cells[server, fw, name].median("rps"))
        leanest = min(ok_peers, key=lambda fw: cells[server, fw, name].median("cpu_us"))
        row += [
            fastest,
            f"{hinted.median('rps') / cells[server, fastest, name].median('rps'):.2f}x",
        ]
        row += [
            leanest,
            f"{cells[server, leanest, name].median('cpu_us') / hinted.median('cpu_us'):.2f}x",
        ]
    else:
        row += ["n/a"] * 4
    raw = cells.get((server, "raw", name))
    if hinted.ok and raw is not None and raw.ok:
        row.append(f"{hinted.median('rps') / raw.median('rps'):.2f}x")
        row.append(f"{raw.median('cpu_us') / hinted.median('cpu_us'):.2f}x")
    else:
        row += ["n/a", "n/a"]
    return row


def tables(cells: dict, args, info: dict) -> str:
    out = []
    markdown = args.markdown

    def cell_text(cell: Cell, key: str, show) -> str:
        if cell.ok:
            return spread(cell, key, show)
        return (cell.error or "not measured").split(":", 1)[0].upper()

    for server in args.servers:
        header = ["scenario", *args.frameworks]
        for title, key, show in (
            ("requests/s, higher is better", "rps", rate),
            ("p50 latency (ms), lower is better", "p50_ms", ms),
            ("p99 latency (ms), lower is better", "p99_ms", ms),
            ("server CPU time per request (us), lower is better", "cpu_us", ms),
        ):
            rows = [
                [name, *(cell_text(cells[server, fw, name], key, show) for fw in args.frameworks)]
                for name in args.scenarios
            ]
            out += [
                f"{server}: {title}; median over rounds (min-max)",
                render(header, rows, markdown),
                "",
            ]
        peers = [fw for fw in args.frameworks if fw not in ("hinted", "raw")]
        if "hinted" in args.frameworks and (peers or "raw" in args.frameworks):
            rows = [relative_row(cells, server, name, peers) for name in args.scenarios]
            header = ["scenario", "fastest peer", "hinted / it", "least CPU peer", "hinted / it"]
            header += ["hinted / raw", "(CPU)"]
            title = (
                f"{server}: hinted relative to the best peer and to raw; requests/s ratios, "
                "and CPU ratios (their CPU us/request over hinted's); > 1 means hinted is ahead"
            )
            out += [title, render(header, rows, markdown), ""]
    if info["rss_mib"]:
        rows = [
            [server, *(str(info["rss_mib"].get(server, {}).get(fw, "-")) for fw in args.frameworks)]
            for server in args.servers
        ]
        out += [
            "RSS after warm-up (MiB, server processes)",
            render(["server", *args.frameworks], rows, markdown),
            "",
        ]
    server_core = [
        v for c in cells.values() for v in c.values("other_server_core") if v is not None
    ]
    client_core = [
        v for c in cells.values() for v in c.values("other_client_core") if v is not None
    ]
    out.append(
        f"machine load: other processes used the server core {percent(server_core)}, the wrk "
        f"core {percent(client_core)} of the time during the runs; load average "
        f"{info['load_before']} before, {info['load_after']} after; "
        f"{info['rounds']} rounds in {info.get('seconds', 0):.0f} s"
    )
    failures = [
        f"- {server} / {fw} / {name}: {cell.error}"
        for (server, fw, name), cell in cells.items()
        if not cell.ok
    ]
    warnings = [
        f"- {server} / {fw} / {name}: {cell.as_dict()['socket_errors']}"
        for (server, fw, name), cell in cells.items()
        if cell.ok and "socket_errors" in cell.as_dict()
    ]
    if failures:
        out += ["", "failures:", *failures]
    if warnings:
        out += ["", "wrk errors (counted over all rounds):", *warnings]
    return "\n".join(out)


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (Debian/Ubuntu: apt-get install wrk)", file=sys.stderr)
        return 2
    if not args.servers:
        print("error: no server available", file=sys.stderr)
        return 2
    for server in args.servers:
        if not server_available(server):
            print(f'error: {server} is not installed (pip install -e ".[bench]")', file=sys.stderr)
            return 2
    stop_servers_on_signals()
    pairs = len(args.servers) * len(args.frameworks)
    print(
        f"{pairs} servers x {len(args.scenarios)} scenarios x {args.repeats} rounds of "
        f"{args.duration} s, about {estimate(args, pairs):.0f} s (at most --budget "
        f"{args.budget:.0f} s of rounds)",
        file=sys.stderr,
    )
    cells = {
        (server, fw, name): Cell()
        for server in args.servers
        for fw in args.frameworks
        for name in args.scenarios
    }
    info: dict = {"rss_mib": {}, "rounds": 0, "load_before": machine.load_average()}
    description = machine.describe()
    bench(args, cells, info)
    info["load_after"] = machine.load_average()
    print(tables(cells, args, info))
    if args.json or args.charts:
        result = {
            "suite": "e2e",
            "machine": description,
            "settings": {
                key: getattr(args, key)
                for key in (
                    "duration",
                    "repeats",
                    "connections",
                    "warmup",
                    "server_cpu",
                    "client_cpu",
                )
            }
            | {"rounds_done": info["rounds"], "wrk_threads": 1, "seconds": info.get("seconds")},
            "command": "python -m benchmarks.e2e "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "versions": versions(args.servers),
            "load_average": {"before": info["load_before"], "after": info["load_after"]},
            "rss_after_warmup_mib": info["rss_mib"],
            "frameworks": args.frameworks,
            "scenarios": args.scenarios,
            "results": {
                server: {
                    fw: {name: cells[server, fw, name].as_dict() for name in args.scenarios}
                    for fw in args.frameworks
                }
                for server in args.servers
            },
        }
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
        if args.charts:
            from benchmarks.charts import render_result

            for path in render_result(result, Path(args.charts), Path(args.json or "e2e").stem):
                print(f"chart: {path}", file=sys.stderr)
    failed = [key for key, cell in cells.items() if key[1] in ("hinted", "raw") and not cell.ok]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
