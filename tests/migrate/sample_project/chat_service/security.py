"""Password login handing out bearer tokens (a toy: tokens are usernames)."""

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from chat_service.models import User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")

USERS = {
    "ada": {"username": "ada", "full_name": "Ada Lovelace", "password": "analytical"},
    "bob": {"username": "bob", "password": "builder", "disabled": True},
}


def authenticate(username: str, password: str) -> User | None:
    record = USERS.get(username)
    if record is None or record["password"] != password:
        return None
    return User(**record)


async def get_current_user(token: str = Depends(oauth2_scheme)) -> User:
    record = USERS.get(token.removeprefix("token-"))
    if record is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid authentication credentials",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return User(**record)


async def get_active_user(user: User = Depends(get_current_user)) -> User:
    if user.disabled:
        raise HTTPException(status_code=400, detail="Inactive user")
    return user
