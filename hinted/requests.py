"""Starlette's request classes, for handlers that ask for the raw request."""

from starlette.requests import HTTPConnection, Request

__all__ = ["HTTPConnection", "Request"]
