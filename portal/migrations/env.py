"""Alembic environment of the portal's own database: runs on the engine handed
over by `portal.database.migrate`."""

from alembic import context

import portal.models  # noqa: F401  (registers every table on Base.metadata)
from portal.database import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
