"""Import benchmark: `import_offers` against a bare DBAPI executemany of the same rows.

usage: .venv/bin/python bench/bench_import.py [--sizes 10000 100000]
           [--postgres postgresql+psycopg://root@127.0.0.1:5432/test] [--no-postgres]
           [--repeat N]

Each run gets a fresh database (a SQLite file in a temporary folder, or a PostgreSQL schema of
its own that is dropped afterwards). "validate" is parsing and checking the exchange document,
"write" is the upsert in one transaction including the commit; the baseline inserts the same
provider and activity rows (no status log) with one executemany per table and one commit.
"again" is importing the same file once more (validation included): every row is compared and
none is written. Each import is checked afterwards (every activity there, with its log row;
the second import finds them all unchanged). With --repeat N every figure is the best of N
runs, for a machine that is busy with other work.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matcher import create_app, migrate  # noqa: E402
from matcher.db import db  # noqa: E402
from providers.importer import import_offers, read_offers  # noqa: E402
from providers.models import Activity, ActivityStatus, ActivityStatusChange  # noqa: E402

GEMEENTEN = ["Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen",
             "Tilburg", "Almere", "Breda", "Nijmegen", "Zwolle", "Haarlem"]
WORDS = ["theater", "maken", "samen", "spelen", "zomervakantie", "dansen", "muziek",
         "schilderen", "verhalen", "erfgoed", "museum", "ontdekken", "samenwerken",
         "zelfvertrouwen", "leren", "lezen", "schrijven"]
SCHEMA = "bench_import"


def synthetic(size: int, seed: int = 7) -> dict:
    """`size` valid activities over size/100 providers, in exchange format v1."""
    rng = random.Random(seed)
    providers = [{"id": f"aanbieder-{p}", "name": f"Aanbieder {p}", "kind": "jeugdtheater",
                  "gemeente": rng.choice(GEMEENTEN), "serves": rng.sample(GEMEENTEN, 3)}
                 for p in range(max(1, size // 100))]
    activities = []
    for i in range(size):
        low = rng.randint(1, 5)
        activities.append({
            "id": f"activiteit-{i}", "provider": providers[i % len(providers)]["id"],
            "title": f"Activiteit {i}", "description": " ".join(rng.choices(WORDS, k=30)),
            "disciplines": rng.sample(["theater", "dans", "muziek", "beeldend"], 2),
            "format": rng.choice(["workshop", "lessenreeks", "voorstelling"]),
            "audience": [{"sector": "po", "grades": list(range(low, low + 4))}],
            "group_size": {"min": 8, "max": 30}, "sessions": rng.randint(1, 8),
            "minutes_per_session": 60, "periods": ["schooltijd"],
            "location": rng.choice(["op-school", "op-locatie", "beide"]),
            "price": {"amount": float(rng.randint(50, 2000)), "per": "groep"},
            "interventions": ["cultuureducatie"], "competences": ["samenwerken"]})
    return {"format": "cultuurmatch-exchange/1", "providers": providers,
            "activities": activities}


def config(url: str) -> dict:
    return {"TESTING": True, "SECRET_KEY": "bench-" + "x" * 40,
            "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://", "AUTO_UPGRADE_SQLITE": False}


class Database:
    """A fresh, migrated database per measurement."""

    def __init__(self, kind: str, postgres_url: str, folder: Path) -> None:
        self.kind, self.postgres_url, self.folder, self.count = kind, postgres_url, folder, 0

    def fresh(self):
        self.count += 1
        if self.kind == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp(dir=self.folder)}/bench{self.count}.db"
        else:
            self.drop()
            engine = create_engine(self.postgres_url)
            with engine.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
            engine.dispose()
            url = f"{self.postgres_url}?options={quote(f'-csearch_path={SCHEMA}')}"
        app = create_app(config(url))
        migrate.upgrade(app)
        return app

    def drop(self) -> None:
        if self.kind == "postgresql":
            engine = create_engine(self.postgres_url)
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
            engine.dispose()


def run_import(app, content: bytes, size: int) -> tuple[float, float, float]:
    """Seconds to validate, to write, and to import the same file again."""
    with app.app_context():
        start = time.perf_counter()
        offers = read_offers(content, "bench.json")
        validated = time.perf_counter()
        summary = import_offers(offers=offers, by=None, status=ActivityStatus.APPROVED,
                                approve_providers=True)
        db.session.commit()
        done = time.perf_counter()
        counts = [db.session.scalar(select(func.count()).select_from(model))
                  for model in (Activity, ActivityStatusChange)]
        if summary.created != size or counts != [size, size]:
            raise RuntimeError(f"import incomplete: {summary}, rows and log rows {counts}")
        again = time.perf_counter()
        summary = import_offers(offers=read_offers(content, "bench.json"), by=None,
                                status=ActivityStatus.APPROVED, approve_providers=True)
        db.session.commit()
        again = time.perf_counter() - again
        if summary.unchanged != size:
            raise RuntimeError(f"second import changed something: {summary}")
        db.session.remove()
        db.engine.dispose()
    return validated - start, done - validated, again


ACTIVITY_COLUMNS = ("key", "provider_id", "title", "description", "disciplines", "format",
                    "audience", "group_min", "group_max", "sessions", "minutes_per_session",
                    "periods", "location", "price_amount", "price_per", "interventions",
                    "competences", "status", "verified_interventions",
                    "dropped_interventions", "review_note", "participants_read", "updated_at",
                    "created_at")


PROVIDER_COLUMNS = ("key", "name", "kind", "gemeente", "serves", "approved", "contact_name",
                    "phone", "review_note", "updated_at", "created_at")


def _insert(table: str, columns: tuple[str, ...], mark: str) -> str:
    """An INSERT for a constant table and column list (no outside input)."""
    marks = ", ".join([mark] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


def run_executemany(app, document: dict) -> float:
    """The same rows through the DBAPI cursor: the floor any import can reach."""
    with app.app_context():
        connection = db.engine.raw_connection()
        mark = "?" if db.engine.dialect.name == "sqlite" else "%s"
        now = datetime.now(UTC)
        start = time.perf_counter()
        cursor = connection.cursor()
        cursor.executemany(
            _insert("providers", PROVIDER_COLUMNS, mark),
            [(p["id"], p["name"], p["kind"], p["gemeente"], json.dumps(p["serves"]), True, "",
              "", "", now, now) for p in document["providers"]])
        cursor.execute("SELECT key, id FROM providers")
        ids = dict(cursor.fetchall())
        cursor.executemany(
            _insert("activities", ACTIVITY_COLUMNS, mark),
            [(a["id"], ids[a["provider"]], a["title"], a["description"],
              json.dumps(a["disciplines"]), a["format"], json.dumps(a["audience"]),
              a["group_size"]["min"], a["group_size"]["max"], a["sessions"],
              a["minutes_per_session"], json.dumps(a["periods"]), a["location"],
              a["price"]["amount"], a["price"]["per"], json.dumps(a["interventions"]),
              json.dumps(a["competences"]), "goedgekeurd", "[]", "[]", "",
              # The floor writes the column; reading the text is the import's own work.
              "leerlingen", now, now)
             for a in document["activities"]])
        connection.commit()
        elapsed = time.perf_counter() - start
        connection.close()
        db.engine.dispose()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    args = parser.parse_args()
    kinds = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            document = synthetic(size)
            content = json.dumps(document).encode()
            for kind in kinds:
                database = Database(kind, args.postgres, Path(folder))
                runs = []
                try:
                    for _ in range(args.repeat):
                        figures = run_import(database.fresh(), content, size)
                        runs.append((*figures, run_executemany(database.fresh(), document)))
                finally:
                    database.drop()
                best = [min(column) for column in zip(*runs, strict=True)]
                validate, write, again, baseline = best
                rows.append((kind, size, validate, write, again, baseline))
                print(f"  {kind} {size}: validate {validate:.1f}s, write {write:.1f}s, "
                      f"again {again:.1f}s, executemany {baseline:.1f}s",
                      file=sys.stderr, flush=True)
    header = (f"{'database':<11}{'activities':>11}{'validate s':>12}{'write s':>10}"
              f"{'import s':>10}{'executemany s':>15}{'write/em':>10}{'import/em':>11}"
              f"{'again s':>10}")
    print(header)
    print("-" * len(header))
    for kind, size, validate, write, again, baseline in rows:
        print(f"{kind:<11}{size:>11,}{validate:>12.2f}{write:>10.2f}{validate + write:>10.2f}"
              f"{baseline:>15.2f}{write / baseline:>10.1f}{(validate + write) / baseline:>11.1f}"
              f"{again:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
