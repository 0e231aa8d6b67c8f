"""The `cultuurmatch` command: demo, create-user, db, and SQLite's self-upgrade."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from matcher.accounts.models import User
from matcher.cli import main
from matcher.db import db
from matcher.demo import DEMO_PASSWORD, USERS


def test_demo_is_idempotent_and_prints_a_login_per_role(app):
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(select(func.count(User.id)))
    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 0
    assert db.session.scalar(select(func.count(User.id))) == count
    for user in USERS:
        assert user.email in first.output
    assert DEMO_PASSWORD in first.output
    # The demo curator and administrator log in with a second step; their keys are printed,
    # the same on every run.
    keys = [line.split(": ")[1] for line in first.output.splitlines() if "TOTP-sleutel" in line]
    assert len(keys) == 2 and all(len(key) >= 16 for key in keys)
    assert keys == [line.split(": ")[1] for line in second.output.splitlines()
                    if "TOTP-sleutel" in line]
    assert {u.role for u in USERS} >= {"cultuurcoordinator", "leerkracht", "schoolleider",
                                       "aanbieder", "curator", "beheerder", "professional",
                                       "gemeente"}


def test_demo_refuses_to_run_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(main, ["demo"])
    assert result.exit_code == 1
    assert "MATCHER_ENV=production" in result.output
    assert "--allow-production" in result.output
    assert DEMO_PASSWORD not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_load_demo_itself_refuses_in_production(app, monkeypatch):
    from matcher.demo import DemoRefused, load_demo

    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    with pytest.raises(DemoRefused):
        load_demo()


def test_demo_runs_in_production_with_the_explicit_override(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(main, ["demo", "--allow-production"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    assert "--allow-production" in result.stderr
    assert db.session.scalar(select(func.count(User.id))) == len(USERS)


def test_demo_documents_the_override(app):
    result = app.test_cli_runner().invoke(main, ["demo", "--help"])
    assert "--allow-production" in result.output and "MATCHER_ENV=production" in result.output


def test_installed_demo_command_refuses_a_production_configuration(tmp_path):
    """End to end: MATCHER_ENV=production, as read by matcher/config.py, stops the demo."""
    env = dict(os.environ, MATCHER_ENV="production",
               DATABASE_URL=f"sqlite:///{tmp_path / 'productie.db'}",
               SECRET_KEY="s" * 16 + "0123456789abcdef0123",
               MATCHER_PASSWORD_PEPPER="p" * 16 + "0123456789abcdef0123",
               MATCHER_PUPIL_DATA_KEY=Fernet.generate_key().decode("ascii"),
               MATCHER_INSTANCE_DIR=str(tmp_path / "instance"))
    result = subprocess.run([sys.executable, "-m", "matcher.cli", "demo"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "MATCHER_ENV=production" in result.stderr
    assert DEMO_PASSWORD not in result.stdout + result.stderr


def test_create_user(app, make_organisation):
    make_organisation(name="OBS De Linde")
    db.session.commit()
    result = app.test_cli_runner().invoke(main, [
        "create-user", "--email", "juf@linde.nl", "--name", "Juf Linde", "--role", "leerkracht",
        "--organisation", "OBS De Linde", "--password", "een-heel-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "juf@linde.nl")) is not None


def test_create_user_refuses_a_short_password(app, make_organisation):
    make_organisation(name="OBS De Eik")
    db.session.commit()
    result = app.test_cli_runner().invoke(main, [
        "create-user", "--email", "a@eik.nl", "--name", "A", "--role", "leerkracht",
        "--organisation", "OBS De Eik", "--password", "kort"])
    assert result.exit_code == 1
    assert "minstens 12 tekens" in result.output


def test_create_user_unknown_organisation(app):
    result = app.test_cli_runner().invoke(main, [
        "create-user", "--email", "a@x.nl", "--name", "A", "--role", "leerkracht",
        "--organisation", "Bestaat Niet", "--password", "een-heel-lang-wachtwoord"])
    assert result.exit_code == 1
    assert "bestaat niet" in result.output


def test_installed_command_upgrades_an_empty_sqlite_database_by_itself(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'nieuw.db'}",
               MATCHER_INSTANCE_DIR=str(tmp_path / "instance"))
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "matcher.cli", "db", "current"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() not in ("", "leeg")
