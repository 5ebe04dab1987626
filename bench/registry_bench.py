"""Registry benchmark: load 1,000,000 synthetic persons into PostgreSQL, then time
DCI sync searches by SPID, NIN and MOBILE, and the commune officer's search by
name, inside the server.

    python bench/registry_bench.py \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test --persons 1000000

A fresh database (``registry_bench`` by default) is created next to the one in the
URL, migrated with the registry's Alembic migrations, bulk-loaded with COPY (the
migrations' secondary indexes are dropped for the load and rebuilt afterwards,
and the rebuild is part of the measured load time), vacuumed and analysed, and
searched through the registry's Flask app. Latencies are measured around each request to the WSGI
app, i.e. inside the server, without network. Targets: p95 ≤ 20 ms by id, ≤ 50 ms
by name.

The name search (predicate ``name``, see portal/registry/server/name_search.py)
is timed as an officer uses it: within one commune (NAME_COMMUNE) and within
three (NAME_3_COMMUNES), with what people type - a Khmer or Latin full name, a
given name, or its first 3 or 4 letters in Latin (one style each, in turn). The
persons' names are drawn from 40 surnames and 60 given names, so that the first
letters of a name do not find half the commune.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import gazetteer
from portal.khmer import comparison_key
from portal.registry.server import create_app
from portal.registry.server.auth import SCOPES, create_client
from portal.registry.server.db import make_engine, migrate
from portal.registry.server.name_search import person_keys
from portal.registry.server.spid import verhoeff_check_digit

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SURNAMES = [
    ("សុខ", "Sok"), ("ចាន់", "Chan"), ("ហេង", "Heng"), ("លី", "Ly"), ("កែវ", "Keo"),
    ("ម៉ៅ", "Mao"), ("សៀង", "Seang"), ("ពេជ្រ", "Pech"), ("យឹម", "Yim"), ("នួន", "Nuon"),
    ("ឈឹម", "Chhim"), ("ស៊ុន", "Sun"), ("ជា", "Chea"), ("ទេព", "Tep"), ("ហ៊ុន", "Hun"),
    ("សឹម", "Sim"), ("ខៀវ", "Khieu"), ("ប៉ែន", "Pen"), ("ញឹម", "Nhim"), ("ឃុន", "Khun"),
    ("ស្រេង", "Sreng"), ("អ៊ុក", "Ouk"), ("ម៉េង", "Meng"), ("ភី", "Phy"), ("រស់", "Ros"),
    ("អ៊ឹម", "Im"), ("សួន", "Suon"), ("ទូច", "Touch"), ("ហ៊ាង", "Hang"), ("ឡុង", "Long"),
    ("ឈួន", "Chhoun"), ("ព្រំ", "Prum"), ("ឯក", "Aek"), ("យុន", "Yun"), ("ម៉ម", "Mom"),
    ("គង់", "Kong"), ("ចេង", "Cheng"), ("ផល", "Phal"), ("អ៊ូ", "Ou"), ("វង្ស", "Vong"),
]  # fmt: skip
WOMEN = [
    ("សុភា", "Sophea"), ("ស្រីមុំ", "Srey Mom"), ("ចិន្តា", "Chenda"), ("បុប្ផា", "Bopha"),
    ("ធីតា", "Thida"), ("សុខា", "Sokha"), ("រតនា", "Ratana"), ("ស្រីនិច", "Srey Nich"),
    ("ចន្ធូ", "Chanthou"), ("សុភាព", "Sopheap"), ("ម៉ាលី", "Maly"), ("ស្រីពៅ", "Sreypov"),
    ("លក្ខិណា", "Leakhena"), ("ចាន់ធី", "Chanthy"), ("សុគន្ធា", "Sokunthea"), ("វណ្ណា", "Vanna"),
    ("ដាលីន", "Dalin"), ("នារី", "Neary"), ("ពិសី", "Pisey"), ("រចនា", "Rachana"),
    ("ស្រីលក្ខណ៍", "Sreyleak"), ("កញ្ញា", "Kanha"), ("សុធារី", "Sotheary"), ("ចរិយា", "Chariya"),
    ("មករា", "Makara"), ("ផល្លា", "Phalla"), ("សុវណ្ណារី", "Sovannary"), ("ម៉ូលីកា", "Molika"),
    ("ស្រីណា", "Sreyna"), ("ភារ៉ា", "Pheara"),
]  # fmt: skip
MEN = [
    ("ដារា", "Dara"), ("វិចិត្រ", "Vichet"), ("សុភ័ក្រ", "Sopheak"), ("ពិសិដ្ឋ", "Piseth"),
    ("រិទ្ធី", "Rithy"), ("វណ្ណៈ", "Vannak"), ("បូរ៉ា", "Bora"), ("សំណាង", "Samnang"),
    ("សុខុម", "Sokhom"), ("វុឌ្ឍី", "Vuthy"), ("សុផល", "Sophal"), ("ចំរើន", "Chamroeun"),
    ("រដ្ឋា", "Rotha"), ("សារ៉ាត", "Sarat"), ("វិសាល", "Visal"), ("កុសល", "Kosal"),
    ("ពិសាល", "Pisal"), ("សុវណ្ណ", "Sovann"), ("ម៉េងលី", "Mengly"), ("ដារ៉ូ", "Daro"),
    ("បុរី", "Borey"), ("ភក្តី", "Pheakdey"), ("រតនៈ", "Ratanak"), ("សេរី", "Serey"),
    ("ធារ៉ា", "Theara"), ("សុជាតិ", "Socheat"), ("វីរៈ", "Vireak"), ("ចន្ទ្រា", "Chantrea"),
    ("សម្ផស្ស", "Samphos"), ("ឧត្តម", "Oudom"),
]  # fmt: skip
GIVEN = WOMEN + MEN
TABLES = ("persons", "person_phones", "person_name_keys")
PERSON_COLUMNS = (
    "id, version, data, created_at, updated_at, created_by, updated_by, spid, nin, status, "
    "birth_date, sex, province_code, district_code, commune_code, village_code, dedup_key, "
    "registration_date"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("REGISTRY_BENCH_DATABASE_URL")
        or os.environ.get("PORTAL_TEST_DATABASE_URL")
        or DEFAULT_URL,
    )
    parser.add_argument("--database-name", default="registry_bench")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=500, help="searches per id type")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="search a database kept by an earlier --keep run"
    )
    return parser.parse_args()


def fresh_database(url: str, name: str) -> str:
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def unique_spids(count: int) -> list[str]:
    bodies: set[int] = set()
    while len(bodies) < count:
        bodies.update(secrets.randbelow(10**10) for _ in range(count - len(bodies)))
    return [f"{body:010d}" + verhoeff_check_digit(f"{body:010d}") for body in bodies]


def _names(surname: tuple[str, str], given: tuple[str, str]) -> dict:
    return {
        "name": {"given_name": given[1], "surname": surname[1]},
        "name_km": {"given_name": given[0], "surname": surname[0]},
    }


def person_rows(count: int, spids: list[str], villages: list[str]):
    """(persons row, phone, name keys) tuples: NIN 1xxxxxxxx, mobile +85512xxxxxx,
    varied places, names drawn from SURNAMES and WOMEN or MEN."""
    now = datetime.now(UTC)
    # Keys of each name, computed once (as name_search computes them for a person).
    dedup = {(s, g): comparison_key(f"{s[0]} {g[0]}") for s in SURNAMES for g in GIVEN}
    keys = {(s, g): person_keys(_names(s, g)) for s in SURNAMES for g in GIVEN}
    rng = random.Random(20250101)  # noqa: S311 (synthetic data, reproducible)
    for index in range(count):
        village = villages[index % len(villages)]
        sex = "female" if index % 2 else "male"
        surname = rng.choice(SURNAMES)
        given = rng.choice(WOMEN if sex == "female" else MEN)
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(30_000))
        nin = f"{100_000_000 + index}"
        phone = f"+85512{index:06d}"
        data = {
            "identifier": [{"identifier_type": "NIN", "identifier_value": nin}],
            **_names(surname, given),
            "birth_date": born.isoformat(),
            "sex": sex,
            "phone_number": [phone],
            "address": {"village_code": village},
            "status": "active",
        }
        key = dedup[surname, given]
        registered = now - timedelta(minutes=index)
        row = (
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            1,
            json.dumps(data, ensure_ascii=False),
            registered,
            registered,
            "bench",
            "bench",
            spids[index],
            nin,
            "active",
            born,
            sex,
            village[:2],
            village[:4],
            village[:6],
            village,
            f"{key}|{born.isoformat()}|{village}",
            registered,
        )
        yield row, phone, keys[surname, given]


def secondary_indexes(connection: psycopg.Connection, tables: tuple[str, ...]) -> list[tuple]:
    """Plain (non-constraint) indexes of ``tables``: name and CREATE statement."""
    return connection.execute(
        """
        SELECT indexname, indexdef FROM pg_indexes
        WHERE tablename = ANY(%s) AND indexname NOT IN (
            SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u')
        )
        """,
        (list(tables),),
    ).fetchall()


def load(url: str, count: int) -> dict:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    villages = [v.code for p in gazetteer.provinces() for v in _some_villages(p.code)]
    spids = unique_spids(count)
    started = time.perf_counter()
    with psycopg.connect(dsn) as connection:
        indexes = secondary_indexes(connection, TABLES)
        for name, _definition in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        with connection.cursor() as cursor:
            phones, name_keys, key_count = [], [], 0
            with cursor.copy(f"COPY persons ({PERSON_COLUMNS}) FROM STDIN") as copy:
                for row, phone, keys in person_rows(count, spids, villages):
                    copy.write_row(row)
                    phones.append((row[0], phone))
                    name_keys.append((row[0], row[14], keys))
            copied = time.perf_counter()
            with cursor.copy("COPY person_phones (person_id, e164) FROM STDIN") as copy:
                for phone_row in phones:
                    copy.write_row(phone_row)
            with cursor.copy(
                "COPY person_name_keys (person_id, commune_code, key) FROM STDIN"
            ) as copy:
                for person_id, commune, keys in name_keys:
                    for key in keys:
                        copy.write_row((person_id, commune, key))
                        key_count += 1
        for _name, definition in indexes:
            connection.execute(definition)
        connection.commit()
        indexed = time.perf_counter()
        # Vacuumed as autovacuum would after the inserts: the name search reads
        # its index alone only where the table's pages are marked all-visible.
        connection.autocommit = True
        for table in TABLES:
            connection.execute(f"VACUUM (ANALYZE) {table}")
    elapsed = indexed - started
    return {
        "persons": count,
        "copy_seconds": round(copied - started, 1),
        "load_seconds_with_indexes": round(elapsed, 1),
        "persons_per_second": round(count / elapsed),
        "name_keys": key_count,
        "indexes_rebuilt": [name for name, _ in indexes],
    }


def _some_villages(province_code: str) -> list:
    found = []
    for district in gazetteer.districts(province_code)[:3]:
        for commune in gazetteer.communes(district.code)[:3]:
            found.extend(gazetteer.villages(commune.code)[:4])
    return found


def search_body(id_type: str, value: str) -> dict:
    return criteria_body("idtype-value", {"type": id_type, "value": value})


def name_body(communes: list[str], typed: str) -> dict:
    """An officer's search: a name, in their commune(s), best match first, 20 a page."""
    place = (
        {"attribute_name": "commune_code", "operator": "eq", "attribute_value": communes[0]}
        if len(communes) == 1
        else {"attribute_name": "commune_code", "operator": "in", "attribute_value": communes}
    )
    name = {"attribute_name": "name", "operator": "eq", "attribute_value": typed}
    query = [{"seq_num": 1, "expression1": place}, {"seq_num": 2, "expression1": name}]
    return criteria_body("predicate", query)


def criteria_body(query_type: str, query) -> dict:
    stamp = datetime.now(UTC).isoformat()
    criteria = {
        "reg_type": "ns:org:RegistryType:Social",
        "query_type": query_type,
        "query": query,
        "pagination": {"page_size": 20, "page_number": 1},
    }
    return {
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": stamp,
            "action": "search",
            "sender_id": "bench",
            "total_count": 1,
        },
        "message": {
            "transaction_id": str(uuid.uuid4()),
            "search_request": [
                {"reference_id": "1", "timestamp": stamp, "search_criteria": criteria}
            ],
        },
    }


def typed_name(style: int, data: dict) -> str:
    """What an officer types for this person: five styles, in turn."""
    name, name_km = data["name"], data["name_km"]
    given = name["given_name"].split()[0]
    return [
        f"{name_km['surname']} {name_km['given_name']}",
        f"{name['surname']} {name['given_name']}",
        given,
        given[: 3 + style % 2],
        name_km["given_name"],
    ][style % 5]


def name_queries(session, samples: int) -> dict[str, list[tuple[list[str], str]]]:
    """(communes, text) per search: the sampled person's commune (and two others)."""
    rng = random.Random(11)  # noqa: S311 (sample choice, reproducible)
    communes = sorted(
        row[0] for row in session.execute(text("SELECT DISTINCT commune_code FROM persons"))
    )
    people = session.execute(
        text("SELECT commune_code, data FROM persons TABLESAMPLE SYSTEM (1) LIMIT :n"),
        {"n": samples},
    ).all()
    one, three = [], []
    for index, (commune, data) in enumerate(people):
        typed = typed_name(index, data)
        one.append(([commune], typed))
        others = rng.sample([c for c in communes if c != commune], 2)
        three.append(([commune, *others], typed))
    return {"NAME_COMMUNE": one, "NAME_3_COMMUNES": three}


def measure_searches(url: str, count: int, samples: int) -> dict:
    app = create_app({"REGISTRY_DATABASE_URL": url, "REGISTRY_AUTO_MIGRATE": False})
    with app.extensions["registry.sessions"]() as session:
        credentials = create_client(session, f"bench-{secrets.token_hex(3)}", list(SCOPES))
        spids = [
            row[0]
            for row in session.execute(
                text("SELECT spid FROM persons TABLESAMPLE SYSTEM (1) LIMIT :n"),
                {"n": samples},
            )
        ]
        by_name = name_queries(session, samples)
    client = app.test_client()
    token = client.post(
        "/oauth2/client/token",
        data={"grant_type": "client_credentials"},
        auth=(credentials["client_id"], credentials["client_secret"]),
    ).json["access_token"]
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Actor": "bench",
        "X-On-Behalf-Of": "",
        "X-Purpose": "benchmark",
    }
    rng = random.Random(7)  # noqa: S311 (sample choice, reproducible)
    # Each body is built just before it is sent: a message id is accepted once.
    queries = {
        "SPID": [partial(search_body, "SPID", spid) for spid in spids],
        "NIN": [
            partial(search_body, "NIN", f"{100_000_000 + rng.randrange(count)}") for _ in spids
        ],
        "MOBILE": [partial(search_body, "MOBILE", f"012{rng.randrange(count):06d}") for _ in spids],
        **{
            kind: [partial(name_body, communes, typed) for communes, typed in searches]
            for kind, searches in by_name.items()
        },
    }
    for bodies in queries.values():
        for body in bodies[:20]:  # warm-up: connections, caches, code paths
            client.post("/registry/sync/search", json=body(), headers=headers)
    # Interleave the kinds so background load on the machine affects each alike.
    timings: dict[str, list[float]] = {kind: [] for kind in queries}
    found: dict[str, list[int]] = {kind: [] for kind in queries}
    for index in range(min(len(bodies) for bodies in queries.values())):
        for kind, bodies in queries.items():
            body = bodies[index]()
            started = time.perf_counter()
            response = client.post("/registry/sync/search", json=body, headers=headers)
            timings[kind].append((time.perf_counter() - started) * 1000)
            answer = response.json["message"]["search_response"][0]
            assert answer["status"] == "succ", answer
            total = answer["pagination"]["total_count"]
            assert total == 1 if kind in ("SPID", "NIN", "MOBILE") else total >= 1, (kind, body)
            found[kind].append(total)
    results = {}
    for id_type, measured in timings.items():
        measured.sort()
        results[id_type] = {
            "samples": len(measured),
            "p50_ms": round(statistics.median(measured), 2),
            "p95_ms": round(measured[int(len(measured) * 0.95) - 1], 2),
            "p99_ms": round(measured[int(len(measured) * 0.99) - 1], 2),
        }
        if id_type.startswith("NAME"):
            totals = sorted(found[id_type])
            results[id_type]["persons_found_median"] = statistics.median(totals)
            results[id_type]["persons_found_max"] = totals[-1]
    app.extensions["registry.engine"].dispose()
    return results


def main() -> None:
    args = parse_args()
    if args.reuse:
        url = make_url(args.database_url).set(database=args.database_name)
        url = url.render_as_string(hide_password=False)
    else:
        url = fresh_database(args.database_url, args.database_name)
    try:
        if not args.reuse:
            engine = make_engine(url)
            migrate(engine)
            engine.dispose()
            print(f"loading {args.persons:,} persons into {args.database_name} ...", flush=True)
            loaded = load(url, args.persons)
            print(json.dumps({"load": loaded}, indent=2), flush=True)
        searches = measure_searches(url, args.persons, args.samples)
        print(json.dumps({"dci_sync_search": searches}, indent=2))
        for label, kinds, target in (
            ("by id", ("SPID", "NIN", "MOBILE"), 20),
            ("by name", ("NAME_COMMUNE", "NAME_3_COMMUNES"), 50),
        ):
            worst = max(searches[kind]["p95_ms"] for kind in kinds)
            verdict = "OK" if worst <= target else "MISSED"
            print(f"worst p95 {label} {worst} ms (target ≤ {target} ms): {verdict}")
    finally:
        if not (args.keep or args.reuse):
            drop_database(args.database_url, args.database_name)


if __name__ == "__main__":
    main()
