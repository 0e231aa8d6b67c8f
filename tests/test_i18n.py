"""One translation layer: the Dutch text is extractable with Babel and pages still render Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from matcher import create_app
from matcher.accounts.roles import Role
from matcher.extensions import babel
from tests.conftest import make_test_config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[str]]:
    """msgid (a tuple for plurals) -> the files it comes from, as `make messages` extracts."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    messages: dict = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_l": None}):
        messages.setdefault(message, []).append(filename)
    return messages


def test_the_catalogue_holds_the_dutch_interface(extracted):
    assert len(extracted) > 600
    files = {name for names in extracted.values() for name in names}
    assert any(name.startswith("templates/") for name in files)
    assert {"matcher/errors.py", "matcher/templating.py", "matcher/accounts/roles.py",
            "matcher/accounts/forms.py"} <= files
    for text in ("Inloggen", "Geen toegang", "U heeft geen toegang tot deze pagina.",
                 "Dit veld is verplicht.", "Overzicht", "Cultuurcoördinator",
                 "Controleer het formulier",
                 "Welkom, %(name)s. U bent ingelogd als %(role)s bij %(organisation)s."):
        assert text in extracted, text
    assert ("%(num)d passende activiteit", "%(num)d passende activiteiten") in extracted
    assert not any(name.startswith(("matcher/engine/", "tests/", "bench/")) for name in files)


def test_the_committed_template_parses():
    with (ROOT / "matcher/translations/messages.pot").open("rb") as file:
        catalogue = read_po(file)
    assert len(catalogue) > 600
    assert "Inloggen" in catalogue and "Geen toegang" in catalogue


def test_pages_still_render_in_dutch(client, make_user, login):
    home = client.get("/").get_data(as_text=True)
    assert "Van menukaart naar kunst en cultuur in de klas" in home
    assert "Naar de inhoud" in home and 'aria-label="Hoofdmenu"' in home
    assert "Inloggen" in client.get("/inloggen").get_data(as_text=True)

    missing = client.get("/bestaat-niet")
    assert missing.status_code == 404
    assert "Niet gevonden" in missing.get_data(as_text=True)
    assert "Foutcode 404." in missing.get_data(as_text=True)

    user = make_user(role=Role.COORDINATOR)
    page = login(user).get("/overzicht").get_data(as_text=True)
    assert f"Welkom, {user.name}. U bent ingelogd als cultuurcoördinator bij " in page
    assert ">Mijn school</a>" in page
    assert "%(" not in page and "%%" not in page


def test_text_really_goes_through_the_translation_layer(database_url, tmp_path):
    """A catalogue for the active locale changes what the page says: nothing bypasses gettext."""
    catalogue = Catalog(locale="nl")
    catalogue.add("Inloggen", "INLOGGEN-VERTAALD")
    catalogue.add("Niet gevonden", "NIET-GEVONDEN-VERTAALD")
    catalogue.add("Overzicht", "OVERZICHT-VERTAALD")
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as file:
        write_mo(file, catalogue)
    app = create_app(make_test_config(database_url, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path)))
    # One Babel object serves every app and caches catalogues per locale: start and end clean.
    cache = babel.domain_instance.cache
    cache.clear()
    try:
        with app.test_client() as client:
            login_page = client.get("/inloggen").get_data(as_text=True)
            missing = client.get("/bestaat-niet").get_data(as_text=True)
    finally:
        cache.clear()
    assert "INLOGGEN-VERTAALD" in login_page and "Inloggen" not in login_page
    assert "NIET-GEVONDEN-VERTAALD" in missing
