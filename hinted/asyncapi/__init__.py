"""AsyncAPI 3.0 for an app's WebSocket routes and pub/sub channels, and its docs page.

``App`` serves the document at ``asyncapi_url`` (``/asyncapi.json``) and a page that
renders it at ``asyncapi_docs_url`` (``/asyncapi``), both hidden from the OpenAPI
document; either set to ``None`` turns it off. Channels that are not WebSocket routes
are declared with :class:`AsyncAPIChannel`::

    app = App(asyncapi_channels=[AsyncAPIChannel("room:{room}", messages=[ChatEntry])])
    document = app.asyncapi()
"""

from hinted.asyncapi.channels import AsyncAPIChannel
from hinted.asyncapi.generator import ASYNCAPI_VERSION, ErrorDetail, ErrorFrame, get_asyncapi

__all__ = ["ASYNCAPI_VERSION", "AsyncAPIChannel", "ErrorDetail", "ErrorFrame", "get_asyncapi"]
