"""One ASGI app per framework, each exposing ``app`` and serving the same six scenarios.

Every module here implements the scenarios of ``benchmarks.scenarios`` the way a user
of that framework would; ``common`` holds the pieces that are framework-independent.
"""
