"""The GraphQL extra is optional: ``import hinted`` loads none of it."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import hinted
import hinted.app, hinted.routing, hinted.openapi.docs
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in ("graphql", "graphene", "strawberry", "graphene_sqlalchemy")
    or name.startswith("hinted.graphql")
)
print(",".join(loaded))
"""


def test_import_hinted_loads_no_graphql_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_hinted_graphql_loads_graphql_core_but_neither_graphene_nor_strawberry() -> None:
    code = CHECK.replace("import hinted\n", "import hinted.graphql\n")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = result.stdout.strip().split(",")
    assert "graphql" in loaded
    assert not [name for name in loaded if name.startswith(("graphene", "strawberry"))]
