"""Jinja2 templates (install the ``hinted[jinja]`` extra)."""

from starlette.templating import Jinja2Templates

__all__ = ["Jinja2Templates"]
