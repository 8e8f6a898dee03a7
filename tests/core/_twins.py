"""Build the same app on hinted and on FastAPI, and compare their answers.

A test writes its app once, as a function of a :class:`Framework` (the names it
needs from either package), and :func:`twins` returns a test client for each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import fastapi
import fastapi.testclient

import hinted
from hinted.testclient import TestClient


@dataclasses.dataclass(frozen=True)
class Framework:
    """The names an app definition needs, taken from one framework."""

    name: str
    App: Any
    APIRouter: Any
    Body: Any
    Cookie: Any
    Depends: Any
    File: Any
    Form: Any
    Header: Any
    HTTPException: Any
    Path: Any
    Query: Any
    UploadFile: Any


HINTED = Framework(
    "hinted",
    hinted.App,
    hinted.APIRouter,
    hinted.Body,
    hinted.Cookie,
    hinted.Depends,
    hinted.File,
    hinted.Form,
    hinted.Header,
    hinted.HTTPException,
    hinted.Path,
    hinted.Query,
    hinted.UploadFile,
)
FASTAPI = Framework(
    "fastapi",
    fastapi.FastAPI,
    fastapi.APIRouter,
    fastapi.Body,
    fastapi.Cookie,
    fastapi.Depends,
    fastapi.File,
    fastapi.Form,
    fastapi.Header,
    fastapi.HTTPException,
    fastapi.Path,
    fastapi.Query,
    fastapi.UploadFile,
)


@dataclasses.dataclass
class Twins:
    """A hinted client and a FastAPI client for the same app definition."""

    ours: TestClient
    theirs: fastapi.testclient.TestClient

    def both(self, method: str, url: str, **kwargs: Any) -> tuple[Any, Any]:
        """The hinted response and the FastAPI response to the same request."""
        return (
            self.ours.request(method, url, **kwargs),
            self.theirs.request(method, url, **kwargs),
        )

    def same(self, method: str, url: str, **kwargs: Any) -> Any:
        """Assert that both frameworks answer alike (status and JSON); return ours."""
        ours, theirs = self.both(method, url, **kwargs)
        assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json()), (
            f"{method} {url}: hinted {ours.status_code} {ours.text} != "
            f"FastAPI {theirs.status_code} {theirs.text}"
        )
        return ours


def twins(define: Callable[[Framework], Any]) -> Twins:
    """Clients for ``define(HINTED)`` and ``define(FASTAPI)``."""
    ours = TestClient(define(HINTED), raise_server_exceptions=False)
    theirs = fastapi.testclient.TestClient(define(FASTAPI), raise_server_exceptions=False)
    return Twins(ours, theirs)
