"""Request limits: how much of a request body hinted reads before it refuses.

```python
from hinted import App
from hinted.limits import Limits

app = App(limits=Limits(max_body_size=2 * 1024 * 1024))  # every route


@app.post("/videos", limits=Limits(max_body_size=2**31, max_file_size=2**31))  # one route
async def upload(video: UploadFile) -> dict[str, int]: ...
```

Each limit is checked while the body arrives, so an oversized request is refused
after reading at most the limit, never the whole body. An exceeded limit is answered
with 413 and a body naming it: ``{"detail": "...", "limit": "max_file_size"}``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hinted.exceptions import LimitExceeded

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    """The most a request may send; the app's defaults or one route's.

    A route's ``limits=`` replaces the app's as a whole; to change one value of the
    app's limits, use ``dataclasses.replace(app.limits, max_file_size=...)``.

    The body limit caps a multipart upload as a whole too: a route that accepts
    files larger than ``max_body_size`` needs that limit raised as well.
    """

    max_body_size: int = 16 * MiB
    """Bytes of any request body (JSON, urlencoded or multipart)."""
    max_file_size: int = 1 * GiB
    """Bytes of one uploaded file."""
    max_files: int = 100
    """Uploaded files in one multipart body."""
    max_fields: int = 1000
    """Form fields (not files) in one form body."""
    max_part_size: int = 1 * MiB
    """Bytes of one form field that is not a file (name and value for urlencoded)."""
    spool_max_size: int = 1 * MiB
    """Bytes of an upload kept in memory; past this it moves to a file in ``upload_dir``."""
    upload_dir: str | Path | None = None
    """Where uploads past ``spool_max_size`` go; ``None`` is the system temp directory."""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name != "upload_dir" and (not isinstance(value, int) or value < 0):
                raise ValueError(f"Limits.{field.name} must be a non-negative int, not {value!r}")


_MESSAGES = {
    "max_body_size": "Request body too large: the limit is {} bytes",
    "max_file_size": "Uploaded file too large: the limit is {} bytes per file",
    "max_files": "Too many files: the limit is {} files",
    "max_fields": "Too many form fields: the limit is {} fields",
    "max_part_size": "Form field too large: the limit is {} bytes per field",
}


def exceeded(name: str, maximum: int) -> LimitExceeded:
    """The 413 error for the limit called ``name``, whose value is ``maximum``."""
    return LimitExceeded(name, maximum, _MESSAGES[name].format(maximum))


__all__ = ["GiB", "KiB", "LimitExceeded", "Limits", "MiB", "exceeded"]
