"""The pinned docs assets: the lock, fetching, integrity and path safety."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from hinted import _assets
from hinted._assets import (
    VENDOR_DIR,
    AssetError,
    AssetIntegrityError,
    AssetLockError,
    asset_path,
    assets_present,
    extract_files,
    fetch_assets,
    load_lock,
    verify_integrity,
)

ROOT = Path(__file__).resolve().parent.parent


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def lock_entry(name: str) -> dict[str, Any]:
    """One package of the real lock, as the JSON object it is written as."""
    document = json.loads(_assets.LOCK_PATH.read_text())
    return next(entry for entry in document["packages"] if entry["name"] == name)


def write_lock(path: Path, *entries: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"packages": list(entries)}))
    return path


def tarball(path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for member in members:
            content = data.get(member.name)
            if content is not None:
                member.size = len(content)
            archive.addfile(member, io.BytesIO(content) if content is not None else None)
    return path


def file_member(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def mtimes(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


# -- the lock ---------------------------------------------------------------------------


def test_lock_pins_swagger_ui_and_redoc() -> None:
    packages = {package.name: package for package in load_lock()}
    swagger, redoc = packages["swagger-ui-dist"], packages["redoc"]
    assert swagger.version.startswith("5.")
    assert redoc.version.startswith("2.")
    assert {dest for _, dest in swagger.files} >= {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui-standalone-preset.js",
        "oauth2-redirect.html",
        "oauth2-redirect.js",
        "favicon-32x32.png",
        "LICENSE",
    }
    assert {dest for _, dest in redoc.files} >= {"redoc.standalone.js", "LICENSE"}


def test_third_party_notice_lists_every_pinned_package() -> None:
    notice = (ROOT / "THIRD_PARTY.md").read_text()
    for package in load_lock():
        assert f"| `{package.name}` | {package.version} | {package.license} |" in notice


@pytest.mark.parametrize("version", ["^5.0.0", "5.x", "latest", "5.35", ">=2.0.0"])
def test_a_range_or_tag_is_no_pin(tmp_path: Path, version: str) -> None:
    lock = write_lock(tmp_path / "lock.json", {**lock_entry("redoc"), "version": version})
    with pytest.raises(AssetLockError, match="exact version"):
        load_lock(lock)


@pytest.mark.parametrize(
    "dest", ["../evil.js", "/tmp/evil.js", "a/../../evil.js", "..", ".hidden", "a\\b", "", "a//b"]
)
def test_unsafe_destination_is_refused_before_any_download(tmp_path: Path, dest: str) -> None:
    entry = {**lock_entry("redoc"), "files": {"package/LICENSE": dest}}
    lock = write_lock(tmp_path / "lock.json", entry)
    with pytest.raises(AssetLockError, match="unsafe destination"):
        load_lock(lock)

    def no_npm(*args: object) -> Path:
        raise AssertionError("npm ran for an unsafe lock")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_assets, "_npm_pack", no_npm)
        with pytest.raises(AssetLockError):
            fetch_assets(tmp_path / "vendor", lock=lock)
    assert not list(tmp_path.rglob("evil.js"))


@pytest.mark.parametrize(
    "source", ["../package/LICENSE", "/package/LICENSE", "package/../../x", "package//LICENSE"]
)
def test_unsafe_tarball_path_is_refused(tmp_path: Path, source: str) -> None:
    entry = {**lock_entry("redoc"), "files": {source: "LICENSE"}}
    with pytest.raises(AssetLockError, match="unsafe tarball path"):
        load_lock(write_lock(tmp_path / "lock.json", entry))


def test_asset_path_only_knows_locked_files() -> None:
    assert asset_path("redoc", "redoc.standalone.js") == VENDOR_DIR / "redoc/redoc.standalone.js"
    with pytest.raises(LookupError):
        asset_path("redoc", "../../_assets.py")
    with pytest.raises(LookupError):
        asset_path("left-pad", "index.js")


# -- verify and unpack, offline ---------------------------------------------------------


def test_verify_integrity_compares_sha512() -> None:
    verify_integrity(b"tarball bytes", sri(b"tarball bytes"))
    with pytest.raises(AssetIntegrityError, match="integrity mismatch"):
        verify_integrity(b"other bytes", sri(b"tarball bytes"))
    with pytest.raises(AssetIntegrityError, match="unsupported"):
        verify_integrity(b"x", "sha1-" + base64.b64encode(hashlib.sha1(b"x").digest()).decode())


def test_extract_reads_only_the_listed_files(tmp_path: Path) -> None:
    members = [file_member("package/a.js"), file_member("../escape.js")]
    archive = tarball(tmp_path / "p.tgz", members, {"package/a.js": b"a", "../escape.js": b"x"})
    written = extract_files(archive, [("package/a.js", "js/a.js")], tmp_path / "out")
    assert written == [tmp_path / "out/js/a.js"]
    assert (tmp_path / "out/js/a.js").read_bytes() == b"a"
    assert not (tmp_path / "escape.js").exists()


def test_extract_refuses_links(tmp_path: Path) -> None:
    link = tarfile.TarInfo("package/LICENSE")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    archive = tarball(tmp_path / "p.tgz", [link], {})
    with pytest.raises(AssetError, match="not a regular file"):
        extract_files(archive, [("package/LICENSE", "LICENSE")], tmp_path / "out")
    assert not (tmp_path / "out/LICENSE").exists()


def test_extract_refuses_a_missing_file(tmp_path: Path) -> None:
    archive = tarball(tmp_path / "p.tgz", [file_member("package/a.js")], {"package/a.js": b"a"})
    with pytest.raises(AssetError, match="has no file"):
        extract_files(archive, [("package/b.js", "b.js")], tmp_path / "out")


# -- fetching with npm ------------------------------------------------------------------


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("vendor")
    fetch_assets(dest)
    return dest


def test_fetch_writes_the_listed_files_and_versions(fetched: Path) -> None:
    packages = load_lock()
    versions = json.loads((fetched / "VERSIONS.json").read_text())
    assert versions["packages"] == [package.record() for package in packages]
    expected = {"VERSIONS.json"} | {
        f"{package.name}/{dest}" for package in packages for _, dest in package.files
    }
    found = {path.relative_to(fetched).as_posix() for path in fetched.rglob("*") if path.is_file()}
    assert found == expected
    assert assets_present(fetched)


def test_fetch_is_idempotent(fetched: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = mtimes(fetched)

    def no_npm(*args: object) -> Path:
        raise AssertionError("npm ran although the assets match the lock")

    monkeypatch.setattr(_assets, "_npm_pack", no_npm)
    paths = fetch_assets(fetched)
    assert sorted(paths) == sorted(path for path in before if path.name != "VERSIONS.json")
    assert mtimes(fetched) == before


def test_fetch_refreshes_only_the_stale_package(
    fetched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendor = tmp_path / "vendor"
    shutil.copytree(fetched, vendor)
    (vendor / "redoc" / "redoc.standalone.js").unlink()
    (vendor / "old-package").mkdir()
    versions = json.loads((vendor / "VERSIONS.json").read_text())
    versions["packages"].append({"name": "old-package", "version": "1.0.0"})
    (vendor / "VERSIONS.json").write_text(json.dumps(versions))
    packed: list[str] = []
    real_pack = _assets._npm_pack

    def counting_pack(npm: list[str], spec: str, workdir: Path) -> Path:
        packed.append(spec)
        return real_pack(npm, spec, workdir)

    monkeypatch.setattr(_assets, "_npm_pack", counting_pack)
    fetch_assets(vendor)
    assert packed == [f"redoc@{lock_entry('redoc')['version']}"]
    assert assets_present(vendor)
    assert not (vendor / "old-package").exists()


def test_integrity_mismatch_is_refused(tmp_path: Path) -> None:
    entry = {**lock_entry("redoc"), "integrity": sri(b"not the redoc tarball")}
    lock = write_lock(tmp_path / "lock.json", entry)
    vendor = tmp_path / "vendor"
    with pytest.raises(AssetIntegrityError, match="integrity mismatch, refusing"):
        fetch_assets(vendor, lock=lock)
    assert not (vendor / "redoc").exists()
    assert not assets_present(vendor, lock=lock)
    assert [path.name for path in vendor.iterdir()] == []


def test_module_runs_on_the_standard_library_alone(fetched: Path) -> None:
    # -I: no site-packages, no PYTHONPATH, no script folder on sys.path.
    script = ROOT / "hinted" / "_assets.py"
    result = subprocess.run(
        [sys.executable, "-I", str(script), "--check", "--dest", str(fetched)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "match the lock" in result.stderr


def test_installed_assets_match_the_lock() -> None:
    assert assets_present(), (
        f"{VENDOR_DIR} is missing or stale: run `python3 scripts/dev.py assets`"
    )


def test_the_redoc_bundle_is_patched_to_load_nothing_from_outside() -> None:
    from hinted._assets import asset_path, load_lock

    redoc = next(package for package in load_lock() if package.name == "redoc")
    assert redoc.patches, "the lock patches ReDoc's CDN logo out"
    text = asset_path("redoc", "redoc.standalone.js").read_text(encoding="utf-8")
    for _, find, _ in redoc.patches:
        assert find not in text


def test_a_patch_whose_text_is_missing_is_refused(tmp_path: Path) -> None:
    from hinted._assets import AssetIntegrityError, PinnedPackage, apply_patches

    (tmp_path / "a.js").write_text("nothing to see")
    package = PinnedPackage(
        "x",
        "1.0.0",
        "sha512-" + "A" * 86 + "==",
        "MIT",
        (("package/a.js", "a.js"),),
        (("a.js", "cdn.example", ""),),
    )
    with pytest.raises(AssetIntegrityError, match="found it 0 times"):
        apply_patches(package, tmp_path)
