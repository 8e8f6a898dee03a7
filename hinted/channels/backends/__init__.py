"""Channel backends: the broker behind :class:`~hinted.channels.Channels`.

``ChannelBackend`` (:mod:`.base`) is the contract; ``MemoryBackend`` keeps messages in
one process, ``RedisBackend`` shares them between processes through Redis pub/sub.
"""

from hinted.channels.backends.base import ChannelBackend
from hinted.channels.backends.memory import MemoryBackend
from hinted.channels.backends.redis import RedisBackend

__all__ = ["ChannelBackend", "MemoryBackend", "RedisBackend"]
