import dataclasses
import os
import shutil
from pathlib import Path
from typing import Annotated

from hinted import App, Form, UploadFile
from hinted.limits import KiB, Limits, MiB

MEDIA_DIR = Path(os.environ.get("MEDIA_DIR", "media"))

# Every route: small bodies, and uploads past 256 KiB wait on disk, not in memory.
app = App(limits=Limits(max_body_size=4 * MiB, max_file_size=2 * MiB, spool_max_size=256 * KiB))


@app.post("/avatars")
async def upload_avatar(
    image: UploadFile, caption: Annotated[str, Form()] = ""
) -> dict[str, object]:
    return {"filename": image.filename, "size": image.size, "caption": caption}


# One route takes large files: its limits replace the app's.
video_limits = dataclasses.replace(
    app.limits,
    max_body_size=512 * MiB,
    max_file_size=500 * MiB,
    max_files=1,
    upload_dir=os.environ.get("UPLOAD_DIR"),  # None: the system temp directory
)


@app.post("/videos", limits=video_limits)
def upload_video(video: UploadFile) -> dict[str, object]:
    # A sync handler runs in the thread pool: copy in chunks, never the whole file at once.
    target = MEDIA_DIR / Path(video.filename or "video").name
    with target.open("wb") as out:
        shutil.copyfileobj(video.file, out, length=MiB)
    return {"filename": target.name, "size": video.size}
