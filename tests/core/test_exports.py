"""Public names: every ``__all__`` is true, and FastAPI's import paths have hinted twins."""

import importlib
import importlib.util
import pkgutil

import pytest

import hinted


def _modules() -> list[str]:
    names = sorted(info.name for info in pkgutil.walk_packages(hinted.__path__, "hinted."))
    return ["hinted", *names]


@pytest.mark.parametrize("module_name", _modules())
def test_every_name_in_all_exists(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", [])
    missing = [name for name in names if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ names what it lacks: {missing}"
    assert len(names) == len(set(names)), f"{module_name}.__all__ repeats a name"


def test_top_level_all_is_the_public_api() -> None:
    public = {name for name in dir(hinted) if not name.startswith("_")}
    # Submodules become attributes once imported; they are not part of __all__.
    public -= {info.name.rsplit(".", 1)[-1] for info in pkgutil.iter_modules(hinted.__path__)}
    assert public <= set(hinted.__all__) | {"status"}
    assert "status" in hinted.__all__


# FastAPI import path -> the hinted path that must offer the same thing.
TWINS = [
    ("fastapi.FastAPI", "hinted.App"),
    ("fastapi.APIRouter", "hinted.APIRouter"),
    ("fastapi.Depends", "hinted.Depends"),
    ("fastapi.Query", "hinted.Query"),
    ("fastapi.Body", "hinted.Body"),
    ("fastapi.HTTPException", "hinted.HTTPException"),
    ("fastapi.Request", "hinted.Request"),
    ("fastapi.UploadFile", "hinted.UploadFile"),
    ("fastapi.BackgroundTasks", "hinted.BackgroundTasks"),
    ("fastapi.responses.JSONResponse", "hinted.responses.JSONResponse"),
    ("fastapi.responses.HTMLResponse", "hinted.responses.HTMLResponse"),
    ("fastapi.responses.PlainTextResponse", "hinted.responses.PlainTextResponse"),
    ("fastapi.responses.ORJSONResponse", "hinted.responses.ORJSONResponse"),
    ("fastapi.responses.RedirectResponse", "hinted.responses.RedirectResponse"),
    ("fastapi.responses.StreamingResponse", "hinted.responses.StreamingResponse"),
    ("fastapi.responses.FileResponse", "hinted.responses.FileResponse"),
    ("fastapi.middleware.cors.CORSMiddleware", "hinted.middleware.cors.CORSMiddleware"),
    ("fastapi.middleware.gzip.GZipMiddleware", "hinted.middleware.gzip.GZipMiddleware"),
    ("fastapi.testclient.TestClient", "hinted.testclient.TestClient"),
    ("fastapi.encoders.jsonable_encoder", "hinted.encoders.jsonable_encoder"),
    ("fastapi.exceptions.RequestValidationError", "hinted.exceptions.RequestValidationError"),
    ("fastapi.exceptions.HTTPException", "hinted.exceptions.HTTPException"),
    (
        "fastapi.exception_handlers.http_exception_handler",
        "hinted.exception_handlers.http_exception_handler",
    ),
    (
        "fastapi.exception_handlers.request_validation_exception_handler",
        "hinted.exception_handlers.request_validation_exception_handler",
    ),
    ("fastapi.params.Depends", "hinted.params.Depends"),
    ("fastapi.params.Query", "hinted.params.Query"),
    ("fastapi.routing.APIRouter", "hinted.routing.APIRouter"),
    ("fastapi.routing.APIRoute", "hinted.routing.APIRoute"),
    ("fastapi.staticfiles.StaticFiles", "hinted.staticfiles.StaticFiles"),
    ("fastapi.status.HTTP_404_NOT_FOUND", "hinted.status.HTTP_404_NOT_FOUND"),
    (
        "fastapi.status.HTTP_422_UNPROCESSABLE_CONTENT",
        "hinted.status.HTTP_422_UNPROCESSABLE_CONTENT",
    ),
]


def _resolve(dotted: str) -> object:
    """``a.b.c.Name`` -> the object, whether ``b`` or ``c`` is a module or an attribute."""
    first, *rest = dotted.split(".")
    value: object = importlib.import_module(first)
    path = first
    for part in rest:
        path = f"{path}.{part}"
        if not hasattr(value, part):
            importlib.import_module(path)
        value = getattr(value, part)
    return value


@pytest.mark.parametrize(("theirs", "ours"), TWINS)
def test_fastapi_import_paths_have_hinted_twins(theirs: str, ours: str) -> None:
    their_value = _resolve(theirs)
    our_value = _resolve(ours)
    if isinstance(their_value, int):
        assert our_value == their_value
    else:
        assert callable(our_value)


def test_status_codes() -> None:
    from hinted import status

    assert status.HTTP_200_OK == 200
    assert status.HTTP_404_NOT_FOUND == 404


@pytest.mark.skipif(importlib.util.find_spec("hinted.security") is None, reason="no security yet")
def test_fastapi_security_names_have_twins() -> None:
    import fastapi.security

    import hinted.security

    wanted = [n for n in dir(fastapi.security) if n[0].isupper()]
    missing = [name for name in wanted if not hasattr(hinted.security, name)]
    assert not missing
