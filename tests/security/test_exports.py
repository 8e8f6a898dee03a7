"""hinted.security offers FastAPI's public names, in the same submodules."""

import importlib
import inspect

import pytest

import hinted.security
from hinted._security_scopes import SecurityScopes

fastapi_security = pytest.importorskip("fastapi.security")

SUBMODULES = ["api_key", "base", "http", "oauth2", "open_id_connect_url", "utils"]


def test_package_names_match_fastapi() -> None:
    theirs = {name for name in dir(fastapi_security) if not name.startswith("_")}
    theirs -= set(SUBMODULES)
    assert theirs <= set(hinted.security.__all__)
    assert set(hinted.security.__all__) - theirs == {
        "HTTPBase",
        "SecurityBase",
        "get_authorization_scheme_param",
    }
    for name in hinted.security.__all__:
        assert getattr(hinted.security, name).__doc__, name


@pytest.mark.parametrize("submodule", SUBMODULES)
def test_submodule_names_match_fastapi(submodule: str) -> None:
    theirs = importlib.import_module(f"fastapi.security.{submodule}")
    ours = importlib.import_module(f"hinted.security.{submodule}")
    defined = {
        name
        for name, value in vars(theirs).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == theirs.__name__
    }
    missing = {name for name in defined if not hasattr(ours, name)}
    assert not missing


def test_security_scopes_is_the_core_class() -> None:
    assert hinted.security.SecurityScopes is SecurityScopes
    assert hinted.security.oauth2.SecurityScopes is SecurityScopes
