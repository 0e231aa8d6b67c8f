"""The embedded SQLite database lets readers go on while a large import commits."""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text

from matcher import create_app
from matcher.db import SQLITE_BUSY_TIMEOUT_MS, db
from tests.conftest import make_test_config


def test_sqlite_runs_in_write_ahead_log_mode_with_a_busy_timeout(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path}/wal.db"))
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS


def test_a_reader_is_not_locked_out_by_an_open_write(tmp_path):
    """A writer holds its transaction open (an import before its commit); a reader through
    the app still reads the committed state at once."""
    path = tmp_path / "wal.db"
    app = create_app(make_test_config(f"sqlite:///{path}"))
    with app.app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.execute(text("INSERT INTO t VALUES (1)"))
        db.session.commit()
    writer = sqlite3.connect(path, isolation_level=None)
    # A tiny page cache makes the open write spill to the file, as a large import does: in
    # the rollback-journal mode that takes the exclusive lock before the commit.
    writer.execute("PRAGMA cache_size=1")
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(20_000)])
    read: list[int] = []

    def reader() -> None:
        with app.app_context():
            read.append(db.session.execute(text("SELECT count(*) FROM t")).scalar())

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join()
    writer.execute("COMMIT")
    writer.close()
    assert read == [1]
