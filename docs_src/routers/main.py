from pathlib import Path

import admin
import messages

from hinted import App, Depends
from hinted.staticfiles import StaticFiles

app = App()

app.include_router(messages.router)
app.include_router(
    admin.router,
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(admin.require_admin)],
)
app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
