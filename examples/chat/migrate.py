"""Schema migrations, run from code: ``upgrade_to_head(engine)``.

The same revisions serve the command line (``alembic upgrade head`` in this
directory, which reads ``alembic.ini``); here they run on a connection of the app's
own engine, without alembic's logging set-up, which would replace the server's.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).resolve().parent
ALEMBIC_INI = HERE / "alembic.ini"


def alembic_config() -> Config:
    """The alembic configuration of the chat service (``alembic.ini`` beside this module)."""
    config = Config(ALEMBIC_INI)
    config.attributes["configure_logging"] = False
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring ``engine``'s database to the newest revision, in one transaction where the
    database supports transactional DDL (PostgreSQL does; SQLite's driver does not)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
