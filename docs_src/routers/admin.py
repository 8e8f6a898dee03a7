from typing import Annotated

from hinted import APIRouter, Header, HTTPException

router = APIRouter()


def require_admin(x_admin_token: Annotated[str, Header()]) -> None:
    if x_admin_token != "s3cret":
        raise HTTPException(403, "Admins only")


@router.get("/stats")
async def stats() -> dict[str, int]:
    return {"messages": 2}
