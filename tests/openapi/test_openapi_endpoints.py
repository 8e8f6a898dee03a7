"""The documentation endpoints: URLs, disabling, Swagger UI parameters, root_path, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from hinted import App
from hinted.cli import main
from hinted.testclient import TestClient


def small_app(**options: Any) -> App:
    app = App(title="Small", **options)

    @app.get("/hello")
    def hello(name: str = "world") -> dict[str, str]:
        return {"message": f"Hello, {name}"}

    return app


def test_default_urls() -> None:
    client = TestClient(small_app())
    assert client.get("/openapi.json").json()["info"]["title"] == "Small"
    for url in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"].startswith("text/html")


def test_openapi_url_none_disables_everything() -> None:
    client = TestClient(small_app(openapi_url=None))
    for url in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(url).status_code == 404, url
    assert client.get("/hello").status_code == 200


def test_custom_and_disabled_docs_urls() -> None:
    client = TestClient(
        small_app(openapi_url="/api/schema.json", docs_url="/api/ui", redoc_url=None)
    )
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/api/schema.json").status_code == 200
    page = client.get("/api/ui")
    assert page.status_code == 200
    assert "/api/schema.json" in page.text
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_swagger_ui_parameters_and_init_oauth_are_rendered() -> None:
    client = TestClient(
        small_app(
            swagger_ui_parameters={"deepLinking": False, "syntaxHighlight": {"theme": "obsidian"}},
            swagger_ui_init_oauth={
                "clientId": "my-client",
                "usePkceWithAuthorizationCodeGrant": True,
            },
        )
    )
    page = client.get("/docs").text
    assert '"deepLinking": false' in page
    assert '"syntaxHighlight": {"theme": "obsidian"}' in page
    assert '"clientId": "my-client"' in page
    assert "ui.initOAuth" in page


def test_root_path_is_the_first_server() -> None:
    app = small_app(servers=[{"url": "https://example.com"}])
    client = TestClient(app, root_path="/api/v1")
    document = client.get("/openapi.json").json()
    assert document["servers"] == [{"url": "/api/v1"}, {"url": "https://example.com"}]
    assert list(document)[:3] == ["openapi", "info", "servers"]
    validate(document)
    # The cached document is left alone: another prefix gets its own server list.
    assert app.openapi()["servers"] == [{"url": "https://example.com"}]
    page = client.get("/docs").text
    assert "/api/v1/openapi.json" in page
    redirect = client.get("/docs/oauth2-redirect").text
    assert "/api/v1/_hinted/static/swagger-ui-dist/oauth2-redirect.js" in redirect


def test_root_path_of_the_app_itself() -> None:
    client = TestClient(small_app(root_path="/proxy"))
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/proxy"}]


def test_root_path_in_servers_false() -> None:
    client = TestClient(small_app(root_path_in_servers=False), root_path="/api")
    assert "servers" not in client.get("/openapi.json").json()


def test_a_root_path_already_listed_is_not_repeated() -> None:
    client = TestClient(small_app(servers=[{"url": "/api"}]), root_path="/api")
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/api"}]


# -- the CLI ----------------------------------------------------------------------------


@pytest.fixture
def app_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module ``cli_demo_app`` with an app, importable from the working directory."""
    source = textwrap.dedent(
        """
        from hinted import App

        app = App(title="CLI demo", version="9.9")

        @app.get("/items/{item_id}", tags=["items"])
        def read_item(item_id: int, q: str | None = None) -> dict[str, str]:
            '''Read an item: café.'''
            return {}
        """
    )
    (tmp_path / "cli_demo_app.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "cli_demo_app:app"
    sys.modules.pop("cli_demo_app", None)


def test_cli_prints_json(app_module: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", app_module]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["info"] == {"title": "CLI demo", "version": "9.9"}
    assert document["paths"]["/items/{item_id}"]["get"]["description"] == "Read an item: café."
    validate(document)


def test_cli_prints_yaml(app_module: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", app_module, "--yaml"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("openapi: 3.1.0\ninfo:\n")
    assert "café" in text
    document = yaml.safe_load(text)
    assert document["info"]["title"] == "CLI demo"
    validate(document)


def test_cli_writes_a_file(app_module: str, tmp_path: Path) -> None:
    output = tmp_path / "out" / "openapi.yaml"
    output.parent.mkdir()
    assert main(["openapi", app_module, "--yaml", "--output", str(output)]) == 0
    assert yaml.safe_load(output.read_text(encoding="utf-8"))["info"]["version"] == "9.9"


def test_cli_reports_a_missing_app(app_module: str) -> None:
    with pytest.raises(SystemExit, match="has no attribute"):
        main(["openapi", "cli_demo_app:nothing"])


def test_cli_yaml_without_pyyaml(
    app_module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(SystemExit, match="--yaml needs PyYAML"):
        main(["openapi", app_module, "--yaml"])


def test_cli_as_a_subprocess(app_module: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hinted.cli", "openapi", app_module],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout)["info"]["title"] == "CLI demo"
