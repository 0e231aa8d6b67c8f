"""Large web imports run in a background thread; the page polls their progress.

The upload is held in memory only (never written to disk, let alone the web root). Jobs live
in this process: the production server (waitress) is one process with threads.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from flask import Flask

from matcher.accounts.models import User
from matcher.db import db
from providers.importer import ImportRejected, Offers, import_offers
from providers.models import ActivityStatus

_MAX_JOBS = 50


@dataclass
class ImportJob:
    id: str
    owner_id: int
    total: int
    done: int = 0
    state: str = "bezig"  # bezig, klaar, mislukt
    message: str = ""
    issues: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "total": self.total, "done": self.done, "state": self.state,
                "message": self.message, "issues": self.issues[:200]}


_jobs: dict[str, ImportJob] = {}
_lock = threading.Lock()


def find_job(job_id: str, user: User) -> ImportJob | None:
    job = _jobs.get(job_id)
    return job if job is not None and job.owner_id == user.id else None


def start_import(app: Flask, *, offers: Offers, by: User, status: ActivityStatus,
                 approve_providers: bool) -> ImportJob:
    """Run the import in a thread with its own session; one transaction, as on the CLI."""
    job = ImportJob(id=uuid.uuid4().hex, owner_id=by.id, total=len(offers.activities))
    with _lock:
        if len(_jobs) >= _MAX_JOBS:  # forget the oldest finished jobs
            for old in [j for j in _jobs.values() if j.state != "bezig"][:10]:
                _jobs.pop(old.id, None)
        _jobs[job.id] = job
    user_id = by.id

    def run() -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                summary = import_offers(offers=offers, by=user, status=status,
                                        approve_providers=approve_providers,
                                        progress=lambda done: setattr(job, "done", done))
                db.session.commit()
                job.message, job.state = f"Import klaar: {summary.text()}", "klaar"
            except ImportRejected as error:
                db.session.rollback()
                job.issues = [str(issue) for issue in error.issues]
                job.message, job.state = str(error), "mislukt"
            except Exception:
                db.session.rollback()
                app.logger.exception("Import %s failed", job.id)
                job.message, job.state = "De import is mislukt; er is niets veranderd.", \
                    "mislukt"
            finally:
                db.session.remove()

    threading.Thread(target=run, name=f"import-{job.id[:8]}", daemon=True).start()
    return job
