"""``hinted openapi``: print an app's OpenAPI document, as JSON or YAML.

```
hinted openapi examples.chat.app:app                  # JSON on standard output
hinted openapi examples.chat.app:app --yaml -o api.yaml
```

YAML needs PyYAML (``pip install pyyaml``, part of hinted's ``dev`` extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hinted._narrowing import is_dict


def register(subparsers: Any) -> None:
    """Add the ``openapi`` subcommand to the ``hinted`` command's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "openapi", help="print an app's OpenAPI document (JSON, or YAML with --yaml)"
    )
    parser.add_argument("app", help="the app, as MODULE:ATTRIBUTE (e.g. main:app)")
    parser.add_argument("--yaml", action="store_true", help="write YAML instead of JSON")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    parser.set_defaults(handler=run)


def render(document: dict[str, Any], *, yaml: bool = False) -> str:
    """``document`` as indented JSON, or as YAML (keys in the document's own order)."""
    if not yaml:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        import yaml as pyyaml
    except ModuleNotFoundError:
        raise SystemExit(
            "error: --yaml needs PyYAML; install it with `pip install pyyaml`"
        ) from None
    # Through JSON first, so the YAML holds plain data only (no Python tags).
    data = json.loads(json.dumps(document))
    text: str = pyyaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return text


def run(args: argparse.Namespace) -> int:
    """Import the app, build its document and write it out."""
    from hinted.cli import import_app

    app = import_app(args.app)
    build = getattr(app, "openapi", None)
    if not callable(build):
        raise SystemExit(f"error: {args.app!r} has no openapi() method; is it a hinted App?")
    document = build()
    if not is_dict(document):
        raise SystemExit(f"error: {args.app!r}.openapi() did not return a document (a dict)")
    text = render(document, yaml=args.yaml)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)
    return 0


__all__ = ["register", "render", "run"]
