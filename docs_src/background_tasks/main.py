from typing import Annotated

from pydantic import BaseModel

from hinted import App, BackgroundTasks, Depends

app = App()
outbox: list[str] = []  # stands in for an email service
audit_log: list[str] = []


class ChatEntry(BaseModel):
    message: str
    recipient: str


def send_notification(recipient: str, message: str) -> None:
    outbox.append(f"to {recipient}: {message}")


async def record(event: str) -> None:
    audit_log.append(event)


def audited(tasks: BackgroundTasks, user: str = "anonymous") -> str:
    # The same BackgroundTasks object as the handler's: the tasks run in the order added.
    tasks.add_task(record, f"{user} posted")
    return user


@app.post("/messages", status_code=201)
async def post_message(
    entry: ChatEntry, tasks: BackgroundTasks, user: Annotated[str, Depends(audited)]
) -> dict[str, str]:
    tasks.add_task(send_notification, entry.recipient, entry.message)
    return {"status": "queued", "author": user}


def flaky() -> None:
    raise ConnectionError("mail server unreachable")


@app.post("/broken")
async def broken(tasks: BackgroundTasks) -> dict[str, str]:
    tasks.add_task(flaky)  # logged to "hinted" with its traceback; the 200 stands
    tasks.add_task(record, "never runs: a failed task stops the ones after it")
    return {"status": "queued"}
