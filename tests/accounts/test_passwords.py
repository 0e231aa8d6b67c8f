"""The password rule (ASVS 2.1) and the one e-mail rule, on every path that makes an account."""

from __future__ import annotations

import pytest

from matcher.accounts import services
from matcher.accounts.passwords import common_passwords, password_problem
from matcher.accounts.roles import OrganisationKind, Role
from matcher.cli import main
from matcher.db import db
from tests.conftest import TEST_PASSWORD


def test_the_bundled_list_holds_at_least_ten_thousand_passwords():
    words = common_passwords()
    assert len(words) >= 10_000
    assert {"123456", "password", "wachtwoord", "welkom"} <= words


@pytest.mark.parametrize("password", [
    "wachtwoord123", "Password123456", "welkomwelkom", "P@ssw0rd2026!!", "qwertyuiop123",
    "  iloveyou  !", "aaaaaaaaaaaaa", "123456789012", "abcabcabcabc",
])
def test_common_and_trivial_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize("password", [
    TEST_PASSWORD, "de kat zit op de warme mat", "paarse-olifant-fietst", "🎨🎭 muziek op zolder",
])
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password) is None


def test_the_advice_says_what_to_do_instead():
    assert "minstens 12 tekens" in password_problem("kort")
    assert "zin van een paar woorden" in password_problem("kort")
    assert "vier woorden" in password_problem("Wachtwoord2026!")
    assert "naam of e-mailadres" in password_problem(
        "janjansen2026", context=["Jan Jansen", "jan.jansen@school.nl"])
    assert password_problem("x" * 129) is not None


def test_creating_a_user_checks_the_password_against_the_name(make_organisation):
    with pytest.raises(services.AccountError, match="naam of e-mailadres"):
        services.create_user(email="petra.pietersen@example.nl", name="Petra Pietersen",
                             role=Role.TEACHER, organisation=make_organisation(),
                             password="pietersen-petra")


def test_the_account_page_shows_the_advice(client, make_user, login):
    login(make_user())
    html = client.post("/account", data={"current": TEST_PASSWORD, "new": "wachtwoord2026",
                                         "confirm": "wachtwoord2026"}).get_data(as_text=True)
    assert "veelgebruikte of uitgelekte" in html


@pytest.mark.parametrize("email", ["foo@localhost", "geen-apenstaartje", "a@b", "a b@c.nl"])
def test_one_email_rule_for_creating_accounts(make_organisation, email):
    with pytest.raises(services.AccountError, match="geldig e-mailadres"):
        services.create_user(email=email, name="X", role=Role.TEACHER,
                             organisation=make_organisation(), password=TEST_PASSWORD)


def test_create_user_on_the_command_line_refuses_what_the_login_form_refuses(
        app, make_organisation):
    make_organisation(kind=OrganisationKind.SCHOOL, name="OBS Het Anker")
    db.session.commit()
    result = app.test_cli_runner().invoke(main, [
        "create-user", "--email", "juf@localhost", "--name", "Juf", "--role", "leerkracht",
        "--organisation", "OBS Het Anker", "--password", TEST_PASSWORD])
    assert result.exit_code == 1
    assert "geldig e-mailadres" in result.output
