"""The AsyncAPI 3.0 JSON schema, fetched once through the pinned-asset mechanism.

``spec-assets.json`` pins ``@asyncapi/specs`` like ``hinted/docs/assets.json`` pins the
docs UIs; :func:`hinted._assets.fetch_assets` packs it with npm, checks its sha512 and
unpacks the one schema file into a cache folder (``$HINTED_TEST_ASSETS``, else the
system's temporary folder), where later runs find it without fetching again.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from hinted._assets import fetch_assets

LOCK = Path(__file__).with_name("spec-assets.json")


def asset_cache() -> Path:
    root = os.environ.get("HINTED_TEST_ASSETS") or tempfile.gettempdir()
    return Path(root) / "hinted-test-assets"


@pytest.fixture(scope="session")
def asyncapi_schema() -> dict[str, Any]:
    """The JSON schema of AsyncAPI 3.0.0 documents (draft-07)."""
    files = fetch_assets(asset_cache(), lock=LOCK)
    path = next(path for path in files if path.name == "asyncapi-3.0.0.json")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@pytest.fixture(scope="session")
def validate_asyncapi(asyncapi_schema: dict[str, Any]) -> Any:
    """``validate_asyncapi(document)`` raises with every schema error found."""
    import jsonschema

    validator = jsonschema.Draft7Validator(asyncapi_schema)

    def validate(document: dict[str, Any]) -> None:
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
        messages = [f"{list(error.absolute_path)}: {error.message[:300]}" for error in errors]
        assert not messages, "\n".join(messages)

    return validate
