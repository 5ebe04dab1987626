"""Revision 0005: persons registered before it are found by name after it, and
history and access-log entries gain a channel."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from portal.registry.server.db import MIGRATIONS_DIR, make_engine, migrate
from tests.support.databases import fresh_database


def _old_person(connection, index: int, given_km: str, given: str, village: str) -> str:
    """A person as the registry kept them before revision 0005."""
    person_id = str(uuid.uuid4())
    data = {
        "name_km": {"surname": "កែវ", "given_name": given_km},
        "name": {"surname": "Keo", "given_name": given},
        "birth_date": "1990-02-03",
        "sex": "female",
        "address": {"village_code": village},
        "status": "active",
        "identifier": [],
        "phone_number": [],
    }
    connection.execute(
        text(
            "INSERT INTO persons (id, version, data, created_at, updated_at, created_by,"
            " updated_by, spid, status, birth_date, sex, commune_code, village_code,"
            " registration_date) VALUES (:id, 1, :data, :at, :at, 'test', 'test', :spid,"
            " 'active', '1990-02-03', 'female', :commune, :village, :at)"
        ),
        {"id": person_id, "data": json.dumps(data, ensure_ascii=False),
         "at": datetime(2025, 1, 2, tzinfo=UTC), "spid": f"{index:011d}",
         "commune": village[:6], "village": village},
    )  # fmt: skip
    return person_id


def test_persons_already_registered_get_their_name_keys(tmp_path):
    with fresh_database(tmp_path, "migration_0005") as url:
        engine = make_engine(url)
        try:
            migrate(engine, "0004")
            with engine.begin() as connection:
                chenda = _old_person(connection, 1, "ចិន្ដា", "Chenda", "01020101")
                others = [
                    _old_person(connection, n, "សុភា", "Sophea", "12010101") for n in (2, 3, 4)
                ]
            migrate(engine)
            with engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT person_id, commune_code, key FROM person_name_keys")
                ).all()
            keys = {(person_id, commune, key) for person_id, commune, key in rows}
            assert {key for person_id, _c, key in keys if person_id == chenda} == {
                "កែវ", "ចិន្តា", "កែវចិន្តា", "keo", "cenda", "keocenda"
            }  # fmt: skip
            assert {commune for person_id, commune, _k in keys if person_id == chenda} == {"010201"}
            for other in others:
                assert (other, "120101", "sopea") in keys

            columns = {c["name"] for c in inspect(engine).get_columns("access_log")}
            assert "channel" in columns
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["engine"] = engine
            command.downgrade(config, "0004")
            assert "person_name_keys" not in inspect(engine).get_table_names()
            assert "channel" not in {c["name"] for c in inspect(engine).get_columns("access_log")}
            migrate(engine)
        finally:
            engine.dispose()
