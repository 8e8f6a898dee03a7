from typing import Annotated

from hinted import App, File, Form, UploadFile

app = App()


@app.post("/avatars")
async def upload_avatar(
    image: UploadFile,
    caption: Annotated[str, Form()] = "",
) -> dict[str, object]:
    content = await image.read()
    return {
        "filename": image.filename,
        "content_type": image.content_type,
        "size": len(content),
        "caption": caption,
    }


@app.post("/attachments")
async def upload_attachments(files: list[UploadFile]) -> dict[str, list[str | None]]:
    return {"filenames": [file.filename for file in files]}


@app.post("/checksums")
def checksum(data: Annotated[bytes, File()]) -> dict[str, int]:
    return {"size": len(data), "sum": sum(data) % 256}
