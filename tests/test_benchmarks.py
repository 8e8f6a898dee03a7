"""The benchmark apps answer every scenario correctly (no timing is asserted here).

Each framework app is started, checked once per scenario by the harness (status,
content type and body) and then called a few times in the harness's timing loop; the
runner is run for a split second to check its tables and its exit code.  Peers are
never skipped: they come with the ``bench`` extra, so a missing one fails.  The
end-to-end runner serves the raw app under uvicorn for a second of wrk (which
scripts/dev.py installs), the startup runner times the imports and the 1,000-route
builds once, and the chart renderer draws a tiny result file of each suite.
"""

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks import charts, e2e, run
from benchmarks.harness import FRAMEWORKS, load_app, smoke
from benchmarks.scenarios import BY_NAME, SCENARIOS

QUICK = ["--seconds", "0.01", "--repeats", "1", "--warmup", "0"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_scenario_answers_as_expected(framework: str, scenario) -> None:
    asyncio.run(smoke(load_app(framework), scenario, iterations=3))


def test_runner_prints_the_tables(capsys) -> None:
    code = run.main([*QUICK, "--frameworks", "raw,starlette", "--scenarios", "hello"])
    out = capsys.readouterr().out
    assert code == 0
    assert "us/request" in out and "requests/s" in out
    assert "starlette" in out and "raw" in out and "FAILED" not in out


@pytest.mark.parametrize(("broken", "exit_code"), [("fastapi", 0), ("raw", 1)])
def test_runner_reports_a_broken_app(monkeypatch, capsys, broken: str, exit_code: int) -> None:
    def load(framework: str):
        if framework == broken:
            raise ImportError(f"no {framework} here")
        return load_app(framework)

    monkeypatch.setattr(run, "load_app", load)
    code = run.main([*QUICK, "--frameworks", "fastapi,raw", "--scenarios", "hello"])
    out = capsys.readouterr().out
    assert code == exit_code
    assert "IMPORT FAILED" in out and f"no {broken} here" in out


# -- end to end, startup, charts (smoke tests: nothing about speed is asserted) --------

ROOT = Path(__file__).resolve().parents[1]


def bench_command(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.timeout(120)
def test_e2e_serves_one_framework_under_wrk(tmp_path: Path) -> None:
    # scripts/dev.py test installs wrk (apt); a missing wrk fails rather than skips.
    assert shutil.which("wrk"), "wrk is not installed: apt-get install wrk"
    out = tmp_path / "e2e.json"
    before = set(raw_servers())
    result = bench_command(
        "benchmarks.e2e", "--frameworks", "raw", "--servers", "uvicorn",
        "--scenarios", "hello,invalid_body", "--duration", "1", "--repeats", "1",
        "--warmup", "0", "--json", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "uvicorn: requests/s" in result.stdout and "machine load" in result.stdout
    data = json.loads(out.read_text())
    for scenario in ("hello", "invalid_body"):  # invalid_body: all 422s, as expected
        cell = data["results"]["uvicorn"]["raw"][scenario]
        assert cell["rps"]["median"] > 0 and cell["p99_ms"]["median"] > 0, cell
    assert not set(raw_servers()) - before, "a server outlived the benchmark run"


def raw_servers() -> list[int]:
    """Pids of processes serving the raw benchmark app (the run must stop all it starts)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"benchmarks.apps.raw_app:app" in command:
            found.append(int(entry.name))
    return found


def test_e2e_lua_scripts_carry_each_request() -> None:
    body = e2e.scenario_script(BY_NAME["body"])
    assert 'wrk.method = "POST"' in body and '\\"recipient\\"' in body
    assert 'wrk.headers["Content-Type"] = "application/json"' in body
    warmup = e2e.warmup_script([BY_NAME[name] for name in e2e.SCENARIOS])
    assert warmup.count("wrk.format(") == len(e2e.SCENARIOS)
    assert '"/items/42?q=abc&limit=10"' in warmup


@pytest.mark.timeout(120)
def test_startup_times_the_app_builds(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    result = bench_command(
        "benchmarks.startup", "--repeats", "1", "--routes", "40", "--skip", "import,memory",
        "--json", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(out.read_text())
    for fw in ("hinted", "fastapi"):
        assert set(data["results"][fw]) == {"build_ms", "openapi_ms"}


def tiny_results() -> list[dict]:
    machine = {"summary": "test machine, 2 cores", "date": "2030-01-01 00:00 UTC"}
    spread = {"median": 2.0, "min": 1.0, "max": 3.0}
    inprocess = {
        "suite": "inprocess",
        "machine": machine,
        "settings": {"seconds": 0.1, "repeats": 1, "clock": "wall"},
        "results": {
            "hinted": {"hello": {"median_us": 5.0, "min_us": 4.0, "max_us": 6.0}},
            "raw": {"hello": {"error": "import failed: no"}},
        },
    }
    e2e_result = {
        "suite": "e2e",
        "machine": machine,
        "frameworks": ["hinted", "raw"],
        "scenarios": ["hello"],
        "results": {
            "uvicorn": {
                "hinted": {"hello": {"rps": spread, "cpu_us": spread, "p99_ms": spread}},
                "raw": {"hello": {"error": "server failed"}},
            }
        },
    }
    startup_result = {
        "suite": "startup",
        "machine": machine,
        "metrics": {"import_ms": "import (ms)", "idle_rss_mib": "idle RSS (MiB)"},
        "results": {
            fw: {"import_ms": {"wall": spread, "cpu": spread}, "idle_rss_mib": {"wall": spread}}
            for fw in ("hinted", "fastapi")
        },
    }
    return [inprocess, e2e_result, startup_result]


def test_charts_render_every_suite(tmp_path: Path) -> None:
    files = []
    for result in tiny_results():
        files.append(tmp_path / f"{result['suite']}.json")
        files[-1].write_text(json.dumps(result))
    assert charts.main([*map(str, files), "--out", str(tmp_path / "png")]) == 0
    pngs = sorted(path.name for path in (tmp_path / "png").iterdir())
    assert pngs == ["e2e-uvicorn.png", "inprocess.png", "startup.png"]
    for name in pngs:
        assert (tmp_path / "png" / name).read_bytes().startswith(b"\x89PNG")


def test_charts_reject_a_file_that_is_not_a_result(tmp_path: Path, capsys) -> None:
    (tmp_path / "other.json").write_text('{"hello": 1}')
    assert charts.main([str(tmp_path / "other.json"), "--out", str(tmp_path)]) == 1
    assert "not a benchmark result" in capsys.readouterr().err


# -- GraphQL: hinted's mount against Strawberry's ASGI app (nothing about speed asserted) --


@pytest.mark.parametrize("variant", ["sync", "async"])
def test_graphql_apps_answer_the_same(variant: str) -> None:
    from benchmarks import graphql_bench

    async def answers() -> list[object]:
        found = []
        for server in graphql_bench.SERVERS:
            target = await graphql_bench.start(server, variant, "cpu")
            try:
                found.append(json.loads(await graphql_bench.answer(target, scenario)))
                await target.run(scenario, 3)
            finally:
                await target.stop()
        return found

    scenario = graphql_bench.scenario(variant)
    hinted, *peers = asyncio.run(answers())
    assert hinted == graphql_bench.expected_data()
    assert all(peer == hinted for peer in peers)


def test_graphql_bench_prints_the_table(tmp_path: Path, capsys) -> None:
    from benchmarks import graphql_bench

    out = tmp_path / "graphql.json"
    assert graphql_bench.main([*QUICK, "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "us/request" in printed and "requests/s" in printed
    assert "strawberry / hinted" in printed
    data = json.loads(out.read_text())
    assert data["suite"] == "graphql"
    for server in graphql_bench.SERVERS:
        for variant in ("sync", "async"):
            assert data["results"][server][variant]["median_us"] > 0


def test_one_command_runs_the_chosen_suites_into_the_output_folder(tmp_path: Path) -> None:
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "graphql",
            "--out",
            str(tmp_path),
        ],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    results = json.loads((tmp_path / "graphql.json").read_text())
    assert results  # the suite wrote its numbers where it was told
    assert "=== graphql" in process.stdout and "=== inprocess" not in process.stdout


def test_one_command_refuses_an_unknown_suite() -> None:
    from benchmarks.__main__ import main as run_all

    with pytest.raises(SystemExit) as refused:
        run_all(["--only", "inprocess,nonsense"])
    assert refused.value.code == 2
