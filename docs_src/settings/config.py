from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Read from the environment: DATABASE_URL, REDIS_URL, DEBUG (any case)."""

    model_config = SettingsConfigDict(env_file=".env", frozen=True)

    database_url: str = Field("sqlite:///./chat.db", description="SQLAlchemy database URL")
    redis_url: str | None = Field(None, description="Redis for fan-out; None: in memory")
    debug: bool = Field(False, description="Tracebacks in 500 answers; never in production")


@lru_cache
def get_settings() -> Settings:
    return Settings()
