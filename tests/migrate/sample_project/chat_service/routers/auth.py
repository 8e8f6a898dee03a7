from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm

from chat_service.models import Token, User
from chat_service.security import authenticate, get_active_user

router = APIRouter(tags=["auth"])


@router.post("/token", response_model=Token)
async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = authenticate(form.username, form.password)
    if user is None:
        raise HTTPException(status_code=400, detail="Incorrect username or password")
    return Token(access_token=f"token-{user.username}")


@router.get("/users/me")
async def read_me(user: Annotated[User, Depends(get_active_user)]) -> User:
    return user
