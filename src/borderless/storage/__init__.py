"""Storage: SQLAlchemy engine from a URL (SQLite by default, PostgreSQL), tables, repositories."""

from borderless.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
