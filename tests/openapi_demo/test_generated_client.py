"""A client generated from the demo's openapi.json by openapi-python-client, used on it.

The document is fetched from the running demo (``conftest.demo``), the client package
generated into a temporary directory (``--fail-on-warning``: the generator must
understand every part of the document), imported, and used: create, read, a 404 and
the API-key delete, each answer parsed into the generated models.

openapi-python-client is in the dev extra (``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.openapi_demo.conftest import Demo

pytest.importorskip("openapi_python_client")
pytestmark = pytest.mark.timeout(120)

PACKAGE = "chat_demo_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"


@pytest.fixture(scope="module")
def document(demo: Demo) -> dict[str, Any]:
    response = httpx.get(f"{demo.base_url}/openapi.json", timeout=10)
    response.raise_for_status()
    served: dict[str, Any] = response.json()
    return served


@pytest.fixture(scope="module")
def client_package(
    document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The generated package's parent directory, on ``sys.path`` for the module's tests."""
    directory = tmp_path_factory.mktemp("generated-client")
    (directory / "openapi.json").write_text(json.dumps(document))
    (directory / "config.yaml").write_text(CONFIG)
    output = directory / "out"
    command = [str(GENERATOR), "generate", "--path", "openapi.json", "--meta", "none"]
    command += ["--config", "config.yaml", "--output-path", str(output / PACKAGE)]
    result = subprocess.run(
        [*command, "--fail-on-warning"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(output))
    try:
        yield output
    finally:
        sys.path.remove(str(output))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def endpoint(document: dict[str, Any], method: str, path: str) -> ModuleType:
    """The generated module of an operation: ``api/<first tag>/<operationId, snake case>``."""
    operation = document["paths"][path][method]
    name = re.sub(r"[^a-z0-9]+", "_", operation["operationId"].lower()).strip("_")
    return importlib.import_module(f"{PACKAGE}.api.{operation['tags'][0]}.{name}")


def test_the_generated_client_creates_and_reads_a_message(
    client_package: Path, document: dict[str, Any], demo: Demo
) -> None:
    package = importlib.import_module(PACKAGE)
    models = importlib.import_module(f"{PACKAGE}.models")
    create = endpoint(document, "post", "/messages")
    read = endpoint(document, "get", "/messages/{message_id}")

    entry = models.ChatEntry(message="From a generated client", recipient="Dave", author="Alice")
    with package.Client(base_url=demo.base_url, raise_on_unexpected_status=True) as client:
        created = create.sync_detailed(client=client, body=entry)
        assert created.status_code == 201
        stored = created.parsed
        assert isinstance(stored, models.StoredChatEntry)
        assert (stored.message, stored.recipient, stored.author) == (
            "From a generated client",
            "Dave",
            "Alice",
        )
        assert stored.version == "3.1"
        assert isinstance(stored.id, int)
        assert isinstance(stored.timestamp, float)

        fetched = read.sync(message_id=stored.id, client=client)
        assert isinstance(fetched, models.StoredChatEntry)
        assert fetched.to_dict() == stored.to_dict()

        missing = read.sync_detailed(message_id=2**31 - 1, client=client)
        assert missing.status_code == 404
        assert isinstance(missing.parsed, models.ErrorMessage)
        assert missing.parsed.detail == "Message not found"

        invalid = read.sync_detailed(message_id=0, client=client)
        assert invalid.status_code == 422
        assert isinstance(invalid.parsed, models.HTTPValidationError)


def test_the_generated_client_deletes_with_the_api_key(
    client_package: Path, document: dict[str, Any], demo: Demo
) -> None:
    package = importlib.import_module(PACKAGE)
    models = importlib.import_module(f"{PACKAGE}.models")
    create = endpoint(document, "post", "/messages")
    delete = endpoint(document, "delete", "/messages/{message_id}")

    with package.Client(base_url=demo.base_url) as client:
        stored = create.sync(client=client, body=models.ChatEntry(message="Bye", recipient="D"))
        assert isinstance(stored, models.StoredChatEntry)
        refused = delete.sync_detailed(message_id=stored.id, client=client)
        assert refused.status_code == 401
        assert isinstance(refused.parsed, models.ErrorMessage)

    admin = package.AuthenticatedClient(
        base_url=demo.base_url, token=demo.api_key, prefix="", auth_header_name="X-API-Key"
    )
    with admin:
        assert delete.sync_detailed(message_id=stored.id, client=admin).status_code == 204
        gone = delete.sync_detailed(message_id=stored.id, client=admin)
        assert gone.status_code == 404
        assert isinstance(gone.parsed, models.ErrorMessage)
