import uuid

from hinted import App

app = App()


@app.get("/users/{user_id}")
async def read_user(user_id: int) -> dict[str, int]:
    return {"user_id": user_id}


@app.get("/orders/{order_id:uuid}")
async def read_order(order_id: uuid.UUID) -> dict[str, uuid.UUID]:
    return {"order_id": order_id}


@app.get("/prices/{amount:float}")
async def read_price(amount: float) -> dict[str, float]:
    return {"amount": amount}


@app.get("/files/{file_path:path}")
async def read_file(file_path: str) -> dict[str, str]:
    return {"file_path": file_path}
