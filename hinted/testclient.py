"""The test client: drive an app in-process, with the API of ``httpx``.

```python
from hinted.testclient import TestClient

client = TestClient(app)
assert client.get("/messages").status_code == 200
```
"""

from starlette.testclient import TestClient

__all__ = ["TestClient"]
