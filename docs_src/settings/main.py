from typing import Annotated

from config import Settings, get_settings

from hinted import App, Depends


def create_app(settings: Settings | None = None) -> App:
    settings = settings or get_settings()
    app = App(debug=settings.debug)
    app.state.settings = settings

    @app.get("/info")
    async def info(current: Annotated[Settings, Depends(get_settings)]) -> dict[str, object]:
        return {"database": current.database_url.split(":", 1)[0], "debug": current.debug}

    return app


app = create_app()
