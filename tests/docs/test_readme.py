"""The README's quick start: the code shown is docs_src/readme/main.py and behaves as shown."""

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

from hinted.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE = ROOT / "docs_src" / "readme" / "main.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_main", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_starts_with_the_two_commands() -> None:
    first = README.read_text().splitlines()[:2]
    assert [line.strip() for line in first] == [
        "python3 scripts/dev.py demo",
        "python3 scripts/dev.py test",
    ]


def test_readme_shows_the_example_file_verbatim() -> None:
    text = README.read_text()
    block = re.search(r"`docs_src/readme/main.py`\n\n```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    assert block.group(1) == EXAMPLE.read_text()


def test_readme_json_blocks_are_what_the_app_answers() -> None:
    client = TestClient(load_example().app)
    created = client.post("/messages", json={"message": "Hello", "recipient": "Dave"})
    assert created.status_code == 201
    assert created.json() == {
        "version": "3.1",
        "message": "Hello",
        "recipient": "Dave",
        "author": None,
        "timestamp": None,
    }
    bad = client.post("/messages", json={"message": "Hello", "timestamp": "yesterday"})
    assert bad.status_code == 422
    shown = re.search(r"```json\n(\{\s*\"detail\".*?)```", README.read_text(), re.DOTALL)
    assert shown is not None
    assert bad.json() == json.loads(shown.group(1))
    assert client.get("/messages/7").json() == {"detail": "Message not found"}
    assert client.get("/messages", params={"recipient": "Dave", "limit": 0}).status_code == 422
