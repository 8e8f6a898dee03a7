from hinted import App, Response

app = App()

rooms: set[str] = set()


@app.put("/rooms/{name}")
async def put_room(name: str, response: Response) -> dict[str, str]:
    if name not in rooms:
        rooms.add(name)
        response.status_code = 201
    response.headers["Location"] = f"/rooms/{name}"
    response.set_cookie("last_room", name, httponly=True)
    return {"room": name}
