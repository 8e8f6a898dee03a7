"""The chat demo's GraphQL: generated from its SQLAlchemy models, beside its REST API.

The workflow test is the point of the demo: in a temporary copy of it, one column is
added to the ORM model, ``alembic revision --autogenerate`` and ``alembic upgrade head``
run, and then the database has the column, the GraphQL type has the field (with the
column's ``doc`` as its description, as GraphiQL's docs show it) and it can be
written and read, with no file changed but ``db.py`` and the new revision. Everything
runs on SQLite and on PostgreSQL (the fixtures of tests/examples).
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from graphql import get_introspection_query
from sqlalchemy import inspect as inspect_database

from examples.chat.db import Message
from hinted.graphql import GRAPHQL_TRANSPORT_WS
from hinted.testclient import TestClient
from tests.examples import conftest as chat_fixtures

# The chat tests' fixtures: each test using ``client`` or ``database_url`` runs on SQLite
# and on PostgreSQL.
app = chat_fixtures.app
client = chat_fixtures.client
database_url = chat_fixtures.database_url
postgres_url = chat_fixtures.postgres_url
settings = chat_fixtures.settings

ROOT = Path(__file__).resolve().parents[2]
CHAT = ROOT / "examples" / "chat"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _message_type(introspection: dict[str, Any]) -> dict[str, Any]:
    types = introspection["data"]["__schema"]["types"]
    return next(t for t in types if t["name"] == "Message")


def test_graphql_and_rest_share_the_database(client: TestClient) -> None:
    client.post("/messages", json={"message": "from REST", "recipient": "Dave", "timestamp": 1.0})
    created = client.post(
        "/graphql",
        json={
            "query": 'mutation($m: String!) { postMessage(message: $m, recipient: "Dave", '
            'author: "Ada", timestamp: 2.0) { id version } }',
            "variables": {"m": "from GraphQL"},
        },
    ).json()["data"]["postMessage"]
    assert created == {"id": "2", "version": "3.1"}
    listed = client.post(
        "/graphql", json={"query": '{ messages(recipient: "Dave") { id message author } }'}
    )
    assert listed.json() == {
        "data": {
            "messages": [
                {"id": "2", "message": "from GraphQL", "author": "Ada"},
                {"id": "1", "message": "from REST", "author": None},
            ]
        }
    }
    assert client.get("/messages/2").json()["message"] == "from GraphQL"
    one = client.get("/graphql", params={"query": '{ message(id: "1") { message } }'})
    assert one.json() == {"data": {"message": {"message": "from REST"}}}


def test_the_graphql_type_has_every_model_column(client: TestClient) -> None:
    introspection = client.post("/graphql", json={"query": get_introspection_query()}).json()
    fields = {field["name"] for field in _message_type(introspection)["fields"]}
    assert fields == {_camel(column.key) for column in Message.__table__.columns}


def test_bad_input_is_a_graphql_error_never_a_500(client: TestClient) -> None:
    for document in (
        "{ messages(limit: 0) { id } }",
        '{ messages(limit: "ten") { id } }',
        "{ messages { nope } }",
        "{ messages { id ",
        "{ a: messages { b: messages { id } } }",
    ):
        answer = client.post("/graphql", json={"query": document})
        assert answer.status_code == 200, document
        assert answer.json()["errors"][0]["message"], document


# -- one place to add a column ----------------------------------------------------------

NEW_COLUMN = (
    '    read_at: Mapped[float | None] = mapped_column(Double, doc="When the recipient read it")\n'
)
ANCHOR = "    timestamp: Mapped[float] = mapped_column(Double, index=True)\n"

CHECK = """
import json, sys
import examples.chat
from graphql import get_introspection_query
from sqlalchemy import create_engine, inspect
from examples.chat.app import create_app
from examples.chat.settings import Settings
from hinted.testclient import TestClient

url = sys.argv[1]
engine = create_engine(url)
columns = [column["name"] for column in inspect(engine).get_columns("messages")]
engine.dispose()
app = create_app(Settings(database_url=url, migrate_on_startup=False))
with TestClient(app) as client:
    introspection = client.post("/graphql", json={"query": get_introspection_query()}).json()
    written = client.post("/graphql", json={"query":
        'mutation { postMessage(message: "m", recipient: "r") { id } }'}).json()
    row = written["data"]["postMessage"]["id"]
    client.app.state.database.engine.dispose()
print(json.dumps({"module": examples.chat.__file__, "columns": columns,
                  "introspection": introspection, "written": row}))
"""


def _copy_demo(target: Path) -> tuple[Path, Path]:
    """A working copy of the demo, and a pristine one to compare it with afterwards."""
    (target / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "__init__.py", target / "examples" / "__init__.py")
    chat = target / "examples" / "chat"
    shutil.copytree(CHAT, chat, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    pristine = target / "pristine"
    shutil.copytree(chat, pristine)
    return chat, pristine


def _run(args: list[str], cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _changed_files(original: Path, copy: Path) -> set[str]:
    changed: set[str] = set()

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        changed.update(prefix + name for name in comparison.diff_files + comparison.right_only)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(original, copy, ignore=["__pycache__", ".ruff_cache"]), "")
    return changed


def test_a_column_added_to_the_model_reaches_database_and_graphql(
    tmp_path: Path, database_url: str
) -> None:
    chat, pristine = _copy_demo(tmp_path)
    models = chat / "db.py"
    source = models.read_text()
    assert ANCHOR in source
    models.write_text(source.replace(ANCHOR, ANCHOR + NEW_COLUMN))

    url_argument = ["-x", f"url={database_url}"]
    _run(["-m", "alembic", *url_argument, "upgrade", "head"], chat)
    _run(["-m", "alembic", *url_argument, "revision", "--autogenerate", "-m", "add read_at"], chat)
    _run(["-m", "alembic", *url_argument, "upgrade", "head"], chat)

    (script := tmp_path / "check.py").write_text(CHECK)
    report = json.loads(_run([str(script), database_url], tmp_path).splitlines()[-1])
    assert report["module"].startswith(str(tmp_path))
    assert "read_at" in report["columns"]
    message_type = _message_type(report["introspection"])
    read_at = next(field for field in message_type["fields"] if field["name"] == "readAt")
    assert read_at["description"] == "When the recipient read it"
    assert read_at["type"] == {"kind": "SCALAR", "name": "Float", "ofType": None}
    assert report["written"] == "1"

    changed = _changed_files(pristine, chat)
    (revision,) = [name for name in changed if name.startswith("migrations/versions/")]
    assert changed == {"db.py", revision}
    assert "read_at" in (chat / revision).read_text()


def test_the_database_matches_the_model_after_startup(client: TestClient) -> None:
    engine = client.app.state.database.engine  # type: ignore[attr-defined]
    columns = {column["name"] for column in inspect_database(engine).get_columns("messages")}
    assert columns == {column.name for column in Message.__table__.columns}


def test_message_posted_sees_rest_and_graphql_messages(client: TestClient) -> None:
    rooms = client.app.state.rooms  # type: ignore[attr-defined]
    with client.websocket_connect("/graphql", subprotocols=[GRAPHQL_TRANSPORT_WS]) as socket:
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json() == {"type": "connection_ack"}
        document = 'subscription { messagePosted(recipient: "Dave") { id message author } }'
        socket.send_json({"id": "live", "type": "subscribe", "payload": {"query": document}})
        deadline = time.monotonic() + 5
        while rooms.channels.health()["subscribers"] == 0:
            assert time.monotonic() < deadline, "the subscription never reached the room"
            time.sleep(0.01)
        client.post("/messages", json={"message": "via REST", "recipient": "Dave"})
        client.post("/messages", json={"message": "not for Dave", "recipient": "Eve"})
        mutation = 'mutation { postMessage(message: "via GraphQL", recipient: "Dave") { id } }'
        client.post("/graphql", json={"query": mutation})
        received = [socket.receive_json()["payload"]["data"]["messagePosted"] for _ in range(2)]
    assert received == [
        {"id": "1", "message": "via REST", "author": None},
        {"id": "3", "message": "via GraphQL", "author": None},
    ]
