from pydantic import BaseModel

from hinted import App

app = App()


class MyData(BaseModel):
    text: str
    count: int = 1


@app.post("/example/{uid}")
def handle_example(uid: str, arg: str, data: MyData) -> dict[str, object]:
    return {"arg": arg, "data": data, "uid": uid}
