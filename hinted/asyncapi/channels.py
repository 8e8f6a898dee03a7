"""Pub/sub channels an app declares for its AsyncAPI document.

WebSocket routes describe themselves; a channel the app publishes to or subscribes
from (``hinted.channels``) is only a name at run time, so the app states what flows
through it::

    app = App(
        asyncapi_channels=[
            AsyncAPIChannel("room:{room}", messages=[ChatEntry], description="A chat room"),
        ]
    )
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

_PARAMETER = re.compile(r"{([^{}]+)}")


@dataclasses.dataclass(frozen=True, slots=True)
class AsyncAPIChannel:
    """A pub/sub channel in the AsyncAPI document: its address and its messages.

    ``address`` may hold ``{parameters}``, described by ``parameters`` (name ->
    description). ``messages`` are types (pydantic models, or anything a
    ``TypeAdapter`` takes). ``publishes`` / ``subscribes``: whether the app sends to it
    and receives from it, which become ``send`` and ``receive`` operations. ``name`` is
    its key in the document, by default the address with other characters than
    letters, digits, ``.``, ``-`` and ``_`` turned into ``_``.
    """

    address: str
    messages: Sequence[Any] = ()
    name: str | None = None
    title: str | None = None
    description: str | None = None
    parameters: Mapping[str, str] = dataclasses.field(default_factory=dict[str, str])
    publishes: bool = True
    subscribes: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.parameters) - set(self.parameter_names)
        if unknown:
            raise ValueError(f"{self.address!r} has no parameters {sorted(unknown)}")

    @property
    def key(self) -> str:
        """The channel's key in the document."""
        return self.name or channel_key(self.address)

    @property
    def parameter_names(self) -> list[str]:
        """The ``{names}`` in the address, in order."""
        return _PARAMETER.findall(self.address)


def channel_key(text: str) -> str:
    """``"room:{room}"`` -> ``"room__room_"``: a key AsyncAPI accepts."""
    return re.sub(r"[^\w.\-]", "_", text)


__all__ = ["AsyncAPIChannel", "channel_key"]
