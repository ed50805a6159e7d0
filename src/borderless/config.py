"""Settings: one validated class, built by `load_settings()`; nothing is read at import.

Every field can be set through an environment variable named ``BORDERLESS_<FIELD>``.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir", "load_settings"]


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "borderless"


class Settings(BaseSettings):
    """Where Borderless keeps its data and which model backends it uses."""

    model_config = SettingsConfigDict(env_prefix="BORDERLESS_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in data_dir"
    )
    shared_data_dir: Path = Field(
        default=Path("../shared/data"),
        description="folder holding the public data sets (the demo shop's retail file)",
    )
    api_key: str | None = Field(
        default=None, description="key for write routes; default: generated into data_dir"
    )
    embeddings: str = "use:multilingual-v3"
    search_embeddings: str = "e5:multilingual-small"
    search_crosslingual: str = Field(
        default="use:multilingual-v3",
        description="a second embedder for search queries in another language than the "
        "catalog's (benchmarks/RESULTS.md: USE carries short product words across languages "
        "better than E5); empty: none",
    )
    generator: str = "llama-cpp:qwen2.5-coder-1.5b"
    translator: str = Field(
        default="router:en-pt=bergamot;pt-en=bergamot;*=llm",
        description="translation engines per language pair; `llm` prompts the generator",
    )
    dictionaries: str = Field(
        default="/usr/share/dictd",
        description="FreeDict dictionaries (Debian dict-freedict-*) that gloss foreign search "
        "queries no quick engine translates; empty: none",
    )
    sentiment_embeddings: str = Field(
        # USE first: the aspect reader matches aspects with the first embedder, as it was tuned
        default="use:multilingual-v3,e5:multilingual-small",
        description="embedders whose vectors feed review sentiment models",
    )
    intent_embeddings: str = Field(
        default="e5:multilingual-small,use:multilingual-v3",
        description="embedders (comma-separated specs) whose vectors feed intent models",
    )
    support_knowledge: Path | None = Field(
        default=None, description="FAQ/policies (.md or .csv); default: the demo shop's FAQ"
    )
    support_answers: Path | None = Field(
        default=None, description="intent actions and reply texts (JSON); default: built in"
    )
    copy_templates: Path | None = Field(
        default=None, description="folder of prompt templates (NAME.txt) overriding built-in ones"
    )
    copy_vocabulary: Path | None = Field(
        default=None, description="JSON of extra materials, colours, claims and brands to check"
    )
    remote_api_key: str | None = None
    llm_threads: int = Field(default=1, ge=1)
    llm_idle_seconds: float = Field(
        default=300,
        ge=0,
        le=86_400,
        description="unload the local LLM after this many idle seconds (0: keep it loaded)",
    )
    model_workers: int = Field(
        default=1, ge=1, le=64, description="threads that run model work for the API"
    )
    model_queue: int = Field(
        default=8, ge=0, le=1000, description="model requests that may wait; more get 503"
    )
    session_hours: float = Field(
        default=8.0, gt=0, le=24 * 30, description="how long a dashboard sign-in lasts"
    )
    max_body_bytes: int = Field(
        default=1 << 20, ge=1024, description="largest request body the API reads; more get 413"
    )
    max_upload_bytes: int = Field(
        default=20 << 20,
        ge=1024,
        description="largest file upload (a dashboard form's multipart body); more get 413",
    )
    model_rate_per_minute: int = Field(
        default=30, ge=1, description="model requests one client may start a minute; more get 429"
    )
    mlflow_uri: str | None = Field(
        default=None, description="also log model versions and metrics to this MLflow server"
    )
    monitoring: bool = Field(default=True, description="request metrics and quality signals")

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:// and postgresql:// URLs are supported")
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we install; plain URLs mean it.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'borderless.db'}"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def retail_file(self) -> Path:
        return self.shared_data_dir / "uci_online_retail" / "online_retail.csv.gz"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with keyword overrides taking precedence."""
    from pydantic import ValidationError

    from borderless.errors import InvalidInput

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise InvalidInput(f"setting {field}: {first['msg']}", field=field) from exc
