"""Alembic environment: runs on the connection that ``flask db upgrade`` hands over."""

from alembic import context

import kopingreport.models  # noqa: F401  (registers every table on the metadata)
from kopingreport.db import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations through 'flask --app wsgi db upgrade'.")
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
