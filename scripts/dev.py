#!/usr/bin/env python3
"""One-command set-up for hinted, from a fresh clone (standard library only).

    python3 scripts/dev.py demo [ARGS]    install the demo extra, serve examples.chat on :8000
    python3 scripts/dev.py test [ARGS]    install the dev extra, start the services the
                                          tests need, then ruff, mypy and pytest ARGS
                                          (pytest includes `mkdocs build --strict`)
    python3 scripts/dev.py assets [ARGS]  fetch the pinned docs UI assets (--check, --force)

Everything is installed into ``.venv`` at the repository root. ``test`` re-runs
``pip install`` only when pyproject.toml changed since the last successful install, and
exits with the code of the first step that failed.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = Path("/usr/bin/chromium")
REDIS = ("127.0.0.1", 6379)
POSTGRES = ("127.0.0.1", 5432)

_apt_updated = False


# -- output and processes -------------------------------------------------------------


def header(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def fail(message: str, code: int = 1) -> NoReturn:
    print(f"\nERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(code or 1)


def run(
    command: Sequence[str | Path], *, cwd: Path | str = ROOT, env: dict[str, str] | None = None
) -> int:
    args = [str(part) for part in command]
    print(f"$ {shlex.join(args)}", flush=True)
    return subprocess.run(args, cwd=cwd, env=env, check=False).returncode


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return check()


# -- the virtual environment ------------------------------------------------------------


def ensure_venv() -> None:
    if PYTHON.exists():
        return
    # This script itself may be run by an older python3: say so plainly.
    if sys.version_info < (3, 11):  # noqa: UP036
        fail(f"hinted needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    header("Creating .venv")
    if run([sys.executable, "-m", "venv", VENV]) != 0:
        fail("could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)")


def _install_stamp(extra: str) -> Path:
    return VENV / f".hinted-install-{extra}.sha256"


def _pyproject_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def install(extra: str) -> None:
    """``pip install -e .[extra]`` into .venv, unless pyproject.toml is unchanged since."""
    ensure_venv()
    digest = _pyproject_digest()
    # The dev extra includes the demo extra, so either stamp will do for the demo.
    covering = [extra, "dev"] if extra == "demo" else [extra]
    for name in covering:
        stamp = _install_stamp(name)
        if stamp.exists() and stamp.read_text().strip() == digest:
            header(f"Install .[{extra}]: up to date (pyproject.toml unchanged)")
            return
    header(f"Installing hinted[{extra}] into .venv (editable)")
    code = run([PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-e", f".[{extra}]"])
    if code != 0:
        fail(f"pip install -e '.[{extra}]' failed", code)
    _install_stamp(extra).write_text(digest + "\n")


def ensure_assets(args: Sequence[str] = ()) -> int:
    # Load the module by path (-P keeps hinted/ off sys.path): the assets are needed
    # before, and apart from, any of hinted's own dependencies.
    return run([PYTHON, "-P", ROOT / "hinted" / "_assets.py", *args])


# -- services -------------------------------------------------------------------------


def apt_install(*packages: str) -> None:
    global _apt_updated
    what = " ".join(packages)
    if shutil.which("apt-get") is None:
        fail(f"{what} is needed for the tests and apt-get is not available: install it")
    if os.geteuid() != 0:
        fail(f"{what} is needed for the tests: run `sudo apt-get install -y {what}`")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if not _apt_updated:
        if run(["apt-get", "update"], env=env) != 0:
            fail("apt-get update failed")
        _apt_updated = True
    if run(["apt-get", "install", "-y", *packages], env=env) != 0:
        fail(f"apt-get install {what} failed")


def port_open(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1.0):
            return True
    except OSError:
        return False


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1.0) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis() -> None:
    header("Redis on 127.0.0.1:6379")
    if redis_answers():
        print("running")
        return
    if port_open(REDIS):
        fail("something on 127.0.0.1:6379 does not answer Redis PING")
    if shutil.which("redis-server") is None:
        apt_install("redis-server")
    command = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
    command += ["--save", "", "--appendonly", "no"]
    run(command, cwd=tempfile.gettempdir())
    if not wait_for(redis_answers, 15):
        fail("Redis did not come up on 127.0.0.1:6379; the tests need it")
    print("started")


def _postgres_clusters() -> list[str]:
    config = Path("/etc/postgresql")
    if not config.is_dir():
        return []
    versions = [path.name for path in config.iterdir() if (path / "main").is_dir()]
    return sorted(versions, key=lambda v: [int(x) for x in v.split(".") if x.isdigit()])


def ensure_postgres() -> None:
    header("PostgreSQL on 127.0.0.1:5432")
    if port_open(POSTGRES):
        print("running")
        return
    fresh = False
    if shutil.which("pg_ctlcluster") is None or not _postgres_clusters():
        apt_install("postgresql")
        fresh = True
    clusters = _postgres_clusters()
    if not clusters:
        fail("PostgreSQL is installed but has no 'main' cluster in /etc/postgresql")
    version = clusters[-1]
    if fresh:
        _trust_local_tcp(version)
    run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
    if not wait_for(lambda: port_open(POSTGRES), 30):
        fail(f"PostgreSQL {version}/main did not come up on 127.0.0.1:5432; the tests need it")
    if fresh:
        psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", "CREATE DATABASE test"]
        if run(psql) != 0:
            fail("could not create the 'test' database")
    print("started")


def _trust_local_tcp(version: str) -> None:
    # Only for a cluster this script just installed: the tests connect over TCP without
    # a password, as on the project's machines.
    hba = Path(f"/etc/postgresql/{version}/main/pg_hba.conf")
    lines = "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
    hba.write_text(lines + hba.read_text())
    run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "reload"])


def ensure_chromium() -> None:
    header(f"Chromium at {CHROMIUM} (docs page tests)")
    if CHROMIUM.exists():
        print("installed")
        return
    apt_install("chromium", "chromium-driver")
    if not CHROMIUM.exists():
        fail(f"apt-get installed chromium but {CHROMIUM} is missing")


def ensure_wrk() -> None:
    header("wrk (end-to-end benchmark smoke test)")
    if shutil.which("wrk") is not None:
        print("installed")
        return
    apt_install("wrk")


# -- commands -------------------------------------------------------------------------


def command_demo(args: list[str]) -> NoReturn:
    install("demo")
    hinted = BIN / "hinted"
    argv = [str(hinted), "run", "examples.chat.app:app", "--host", "127.0.0.1", "--port", "8000"]
    header("Serving the chat demo on http://127.0.0.1:8000")
    os.chdir(ROOT)
    os.execv(hinted, [*argv, *args])


def command_test(args: list[str]) -> int:
    install("dev")
    header("Docs UI assets")
    if (code := ensure_assets()) != 0:
        fail("could not fetch the pinned docs assets", code)
    ensure_redis()
    ensure_postgres()
    ensure_chromium()
    ensure_wrk()
    # pytest also builds the documentation site, `mkdocs build --strict` into a temporary
    # directory (tests/docs/test_mkdocs.py), so `test tests/docs` checks the docs alone.
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff check .", [PYTHON, "-m", "ruff", "check", "."]),
        ("mypy (strict, hinted/)", [PYTHON, "-m", "mypy"]),
        ("pytest " + shlex.join(args), [PYTHON, "-m", "pytest", *args]),
    ]
    for title, command in steps:
        header(title)
        code = run(command)
        if code != 0:
            fail(f"{title.split()[0]} failed (exit {code})", code)
    header("All checks passed")
    return 0


def command_assets(args: list[str]) -> int:
    ensure_venv()
    header("Docs UI assets (hinted/docs/assets.json)")
    return ensure_assets(args)


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "demo": command_demo,
    "test": command_test,
    "assets": command_assets,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help") or argv[0] not in COMMANDS:
        print((__doc__ or "").strip())
        return 0 if argv and argv[0] in ("-h", "--help", "help") else 2
    rest = argv[1:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    return COMMANDS[argv[0]](rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
