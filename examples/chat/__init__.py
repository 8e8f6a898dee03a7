"""The chat service: store and read ``ChatEntry`` messages over HTTP.

Serve it with ``hinted run examples.chat.app:app``; see README.md in this directory.
"""
