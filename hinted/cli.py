"""The ``hinted`` command: serve an app, or develop it with auto-reload.

```
hinted run examples.chat.app:app --host 0.0.0.0 --port 8000 --workers 4
hinted run examples.chat.app:app --graceful-timeout 30   # then cancel what is still running
hinted run examples.chat.app:app --server granian   # pip install "hinted[granian]"
hinted dev examples.chat.app:app          # reloads when a .py file changes
```

Both servers take the same options; uvicorn is the default, granian an optional extra.
On SIGTERM or Ctrl+C the server stops accepting connections, lets in-flight requests
finish (for at most ``--graceful-timeout`` seconds, then cancels them), then runs the
app's lifespan shutdown. Under uvicorn, open WebSockets are closed with 1001 (Going
Away) rather than uvicorn's own 1012: see :mod:`hinted._uvicorn`.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Command = Callable[[argparse.Namespace], int]


def import_app(target: str) -> Any:
    """Import ``"package.module:attribute"`` (the working directory is importable)."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise SystemExit(f"error: expected MODULE:ATTRIBUTE, such as main:app; got {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise SystemExit(f"error: cannot import {module_name!r}: {exc}") from exc
    value: Any = module
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise SystemExit(f"error: {module_name!r} has no attribute {attribute!r}")
        value = getattr(value, part)
    return value


SERVERS = ("uvicorn", "granian")
GRANIAN_MISSING = (
    'error: --server granian needs granian, which is not installed: pip install "hinted[granian]"'
)
# granian has no "trace" level; its most verbose one is "debug".
_GRANIAN_LOG_LEVELS = {"trace": "debug"}


def _serve(args: argparse.Namespace, *, reload: bool) -> int:
    if args.server == "granian":
        return _serve_granian(args, reload=reload)
    return _serve_uvicorn(args, reload=reload)


def _serve_uvicorn(args: argparse.Namespace, *, reload: bool) -> int:
    import uvicorn

    import_app(args.app)  # fail early, with a clear message, before the server starts
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "proxy_headers": args.proxy_headers,
        "access_log": not args.no_access_log,
    }
    if args.root_path:
        options["root_path"] = args.root_path
    if importlib.util.find_spec("websockets") is not None:
        from hinted._uvicorn import PROTOCOL

        options["ws"] = PROTOCOL  # closes WebSockets with 1001 on shutdown, not 1012
    if reload:
        options["reload"] = True
        options["reload_dirs"] = args.reload_dir or [os.getcwd()]
    else:
        options["workers"] = args.workers
        options["timeout_graceful_shutdown"] = args.graceful_timeout
    uvicorn.run(args.app, **options)
    return 0


_PROXIED_TARGET = "HINTED_GRANIAN_PROXIED_APP"


def granian_proxied_app() -> Any:
    """Granian factory: the app named by ``$HINTED_GRANIAN_PROXIED_APP``, trusting
    ``X-Forwarded-*`` from 127.0.0.1 as uvicorn's ``--proxy-headers`` does."""
    proxies = importlib.import_module("granian.utils.proxies")  # untyped: keep it Any
    return proxies.wrap_asgi_with_proxy_headers(
        import_app(os.environ[_PROXIED_TARGET]), "127.0.0.1"
    )


def _check_import_in_subprocess(target: str) -> None:
    import subprocess

    check = "import sys; from hinted.cli import import_app; import_app(sys.argv[1])"
    code = subprocess.run([sys.executable, "-c", check, target], check=False).returncode
    if code != 0:
        raise SystemExit(code)  # the child has printed the error


def _serve_granian(args: argparse.Namespace, *, reload: bool) -> int:
    try:
        from granian import Granian
        from granian.constants import Interfaces
    except ImportError:
        raise SystemExit(GRANIAN_MISSING) from None

    if reload:
        # granian forks its workers from this process: an app imported here would be
        # the stale one every reloaded worker starts from.  Check it in a child instead.
        _check_import_in_subprocess(args.app)
    else:
        import_app(args.app)  # fail early, with a clear message, before the server starts
    target, factory = args.app, False
    if args.proxy_headers:
        # granian has no such switch: serve the app wrapped in granian's own middleware.
        os.environ[_PROXIED_TARGET] = args.app
        target, factory = "hinted.cli:granian_proxied_app", True
    options: dict[str, Any] = {
        "address": args.host,
        "port": args.port,
        "interface": Interfaces.ASGI,
        "log_level": _GRANIAN_LOG_LEVELS.get(args.log_level, args.log_level),
        # uvicorn logs each request at INFO, so a higher --log-level hides them too.
        "log_access": not args.no_access_log and args.log_level in ("info", "debug", "trace"),
        "working_dir": Path.cwd(),
        "factory": factory,
    }
    if args.root_path:
        options["url_path_prefix"] = args.root_path
    if reload:
        options["reload"] = True
        options["reload_paths"] = [Path(d).resolve() for d in args.reload_dir or [os.getcwd()]]
    else:
        options["workers"] = args.workers
        if args.graceful_timeout is not None:
            options["workers_kill_timeout"] = args.graceful_timeout
    Granian(target, **options).serve()
    return 0


def _run(args: argparse.Namespace) -> int:
    return _serve(args, reload=False)


def _dev(args: argparse.Namespace) -> int:
    return _serve(args, reload=True)


def _server_arguments(parser: argparse.ArgumentParser, *, dev: bool) -> None:
    parser.add_argument("app", help="the app to serve, as MODULE:ATTRIBUTE (e.g. main:app)")
    parser.add_argument(
        "--server",
        default="uvicorn",
        choices=SERVERS,
        help='uvicorn (default) or granian (pip install "hinted[granian]")',
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
    )
    parser.add_argument("--root-path", default="", help="the path prefix a proxy strips")
    parser.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-*")
    parser.add_argument("--no-access-log", action="store_true", help="do not log each request")
    if dev:
        parser.add_argument("--reload-dir", action="append", help="directory to watch (repeatable)")
    else:
        parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=None,
            metavar="SECONDS",
            help="on shutdown, wait at most this long for in-flight requests, then cancel "
            "them (default: wait for them all)",
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``hinted`` command."""
    parser = argparse.ArgumentParser(prog="hinted", description="Serve hinted applications.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve an app with uvicorn or granian")
    _server_arguments(run, dev=False)
    run.set_defaults(handler=_run)
    dev = commands.add_parser("dev", help="serve an app and reload it when code changes")
    _server_arguments(dev, dev=True)
    dev.set_defaults(handler=_dev)
    for register in _EXTRA_COMMANDS:
        register(commands)
    return parser


_EXTRA_COMMANDS: list[Callable[[Any], None]] = []
"""Other modules add subcommands here (``hinted openapi``…) by registering a function."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hinted`` console script."""
    _load_extra_commands()
    args = build_parser().parse_args(argv)
    handler: Command = args.handler
    return handler(args)


def _load_extra_commands() -> None:
    if _EXTRA_COMMANDS:
        return
    for module in ("hinted.openapi.cli", "hinted.migrate"):
        try:
            registered = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        _EXTRA_COMMANDS.append(registered.register)


if __name__ == "__main__":
    raise SystemExit(main())
