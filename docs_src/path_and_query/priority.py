from hinted import App

app = App()


@app.get("/users/{username}")
async def read_user(username: str) -> dict[str, str]:
    return {"route": "one user", "username": username}


@app.get("/users/me")
async def read_current_user() -> dict[str, str]:
    return {"route": "current user"}


@app.get("/reports/{slug}")
async def read_report(slug: str) -> dict[str, str]:
    return {"route": "report by slug", "slug": slug}


@app.get("/reports/{year:int}")
async def read_yearly_report(year: int) -> dict[str, object]:
    return {"route": "yearly report", "year": year}
