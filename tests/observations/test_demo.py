"""The demo: `cultuurmatch demo` prints a working link; invite → observe → scan → export → purge."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import func, select

from matcher.accounts.queries import find_user_by_email
from matcher.cli import main
from matcher.db import db
from matcher.observations.models import Observation, PupilNote
from tests.observations.conftest import form_data, new_client

DEMO_PASSWORD = "demo-wachtwoord-2026"  # published in matcher/demo


def test_demo_data_runs_the_whole_loop(app):
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    link = re.search(r"https?://\S+/observatie/[\w-]+", result.output).group(0)
    again = runner.invoke(main, ["demo"])  # idempotent: same data, a fresh link
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 5
    new_link = re.search(r"https?://\S+/observatie/[\w-]+", again.output).group(0)
    assert new_link != link

    professional = new_client(app)
    assert professional.get(urlsplit(link).path).status_code == 404  # replaced by the new one
    assert professional.get(urlsplit(new_link).path).status_code == 302
    assert professional.post("/observatie/invullen", data=form_data(value="3")).status_code == 302

    coordinator = new_client(app)
    coordinator.post("/inloggen", data={"email": "icc@oostpoort.demo.cultuurmatch.nl",
                                        "password": DEMO_PASSWORD})
    group_id = db.session.scalar(select(Observation.group_id))
    scan = coordinator.get(f"/observaties/groepen/{group_id}").get_data(as_text=True)
    assert scan.count("<svg") == 10 and "/matchen?competences=zelfvertrouwen" in scan
    csv_text = coordinator.get(f"/observaties/groepen/{group_id}/export.csv").get_data(
        as_text=True)
    assert csv_text.count("\n") > 60 and ";leerling;" in csv_text

    result = runner.invoke(main, ["purge", "--today", "2099-01-01"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 0
    assert db.session.scalar(select(func.count()).select_from(PupilNote)) == 0
    assert find_user_by_email("icc@oostpoort.demo.cultuurmatch.nl") is not None
    assert "Nog geen observaties" in coordinator.get(
        f"/observaties/groepen/{group_id}").get_data(as_text=True)
