from hinted import App
from hinted.middleware import RequestIDMiddleware, TimingMiddleware, get_request_id
from hinted.middleware.cors import CORSMiddleware
from hinted.middleware.gzip import GZipMiddleware
from hinted.middleware.trustedhost import TrustedHostMiddleware

app = App()

# The last one added runs first: a request meets them bottom to top.
app.add_middleware(GZipMiddleware, minimum_size=500)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://chat.example.com"],
    allow_methods=["GET", "POST", "PUT"],
    allow_headers=["Authorization", "Content-Type"],
    allow_credentials=True,
)
app.add_middleware(TimingMiddleware)
app.add_middleware(RequestIDMiddleware)
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["chat.example.com", "testserver"])


@app.get("/messages")
async def list_messages() -> dict[str, object]:
    return {"request_id": get_request_id(), "messages": ["hello"] * 100}
