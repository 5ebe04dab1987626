"""Alembic environment: runs on the engine handed over by ``db.migrate``."""

from alembic import context

from portal.registry.server.models import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
