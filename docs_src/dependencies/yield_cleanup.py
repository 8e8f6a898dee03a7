from collections.abc import Iterator
from typing import Annotated

from hinted import App, Depends, HTTPException

app = App()

log: list[str] = []


class Session:
    def __init__(self) -> None:
        self.added: list[str] = []

    def add(self, item: str) -> None:
        self.added.append(item)


def get_session() -> Iterator[Session]:
    session = Session()
    log.append("open")
    try:
        yield session
    except Exception as exc:
        log.append(f"rollback after {type(exc).__name__}")
        raise
    else:
        log.append(f"commit {session.added}")
    finally:
        log.append("close")


@app.post("/messages")
def send_message(text: str, session: Annotated[Session, Depends(get_session)]) -> dict[str, str]:
    if not text.strip():
        raise HTTPException(400, "Empty message")
    session.add(text)
    return {"queued": text}
