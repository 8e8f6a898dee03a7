"""Routers and routes; :mod:`hinted.routing.compiler` turns path templates into a matcher."""

from hinted.routing.router import APIRouter, BaseRoute
from hinted.routing.routes import APIRoute, APIWebSocketRoute, RawRoute, RouteOptions

__all__ = ["APIRoute", "APIRouter", "APIWebSocketRoute", "BaseRoute", "RawRoute", "RouteOptions"]
