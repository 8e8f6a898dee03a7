from hinted import APIRouter, HTTPException

router = APIRouter(prefix="/messages", tags=["messages"])

messages = {1: "Hello", 2: "Bye"}


@router.get("/")
async def list_messages() -> list[str]:
    return list(messages.values())


@router.get("/{message_id}")
async def read_message(message_id: int) -> dict[str, str]:
    if message_id not in messages:
        raise HTTPException(404, "Message not found")
    return {"message": messages[message_id]}
