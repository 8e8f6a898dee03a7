"""The counted chat demo of :mod:`tests.reliability.apps`, for ``hinted run``.

``RELIABILITY_DB``: the SQLite file; ``RELIABILITY_MARKER``: a file the app writes when
its lifespan shutdown has run, holding the ledger of resources at that moment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.reliability.apps import Ledger, build_app

ledger = Ledger()
app = build_app(f"sqlite:///{os.environ['RELIABILITY_DB']}", ledger)


@app.on_event("shutdown")
def write_marker() -> None:
    """Runs after the demo's own lifespan (channels stopped, engine disposed)."""
    Path(os.environ["RELIABILITY_MARKER"]).write_text(json.dumps(ledger.snapshot()))
