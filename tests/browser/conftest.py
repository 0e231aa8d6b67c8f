"""Browser tests: the real app on a live server, driven through Debian's Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-background-networking",
                  "--disable-component-update"]
# axe-core rule tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


# The browser of this worker. tests/observations/conftest.py re-exports the fixture, which
# makes it a second session fixture: when a worker runs both folders, the second must reuse
# the open browser (a second sync_playwright() inside the first refuses to start).
_OPEN: list[Browser] = []


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if _OPEN:
        yield _OPEN[0]
        return
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_FLAGS)
        _OPEN.append(browser)
        yield browser
        _OPEN.clear()
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    problems: list[str] = []
    # A CSP violation or a script error shows up on the console; a missing stylesheet, script
    # or icon as a failed subresource. (A page itself may answer 400 or 404 on purpose.)
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    yield page
    context.close()
    assert not problems, problems


def assert_accessible(page: Page) -> None:
    """No WCAG 2.1 A/AA violation that axe-core can find on the current page."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").last.click()
    page.wait_for_load_state()
    if "/inloggen/tweede-stap" in page.url:
        _type_totp_code(page, email)


def _type_totp_code(page: Page, email: str) -> None:
    """Curators and administrators from make_user have TEST_TOTP_SECRET."""
    from sqlalchemy import update

    from matcher.accounts.models import User
    from matcher.db import db
    from tests.conftest import totp_code

    # A code works once, and a test may log in more than once within one 30-second step.
    db.session.execute(update(User).where(User.email == email).values(totp_last_step=None))
    db.session.commit()
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Inloggen").last.click()
    page.wait_for_load_state()
