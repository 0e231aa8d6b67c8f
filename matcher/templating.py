"""Template filters and the navigation, one place for how things look in Dutch."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import Flask, url_for
from flask_babel import format_currency, format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matcher.accounts.access import rule_for
from matcher.accounts.roles import Role
from matcher.reference.labels import audience_text, label


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str  # a lazy string, translated when rendered


# Shown only to users whose role the endpoint admits, so the menu never offers a 403.
NAVIGATION = (
    NavItem("main.dashboard", _l("Overzicht")),
    NavItem("menukaart.index", _l("Menukaart")),
    NavItem("catalogue.search", _l("Aanbod")),
    NavItem("catalogue.match", _l("Matchen")),
    NavItem("catalogue.favourites", _l("Shortlist")),
    NavItem("schools.dashboard", _l("Mijn school")),
    NavItem("schools.keuzehulp", _l("Keuzehulp")),
    NavItem("schools.requests", _l("Aanvragen")),
    NavItem("schools.bookings", _l("Boekingen")),
    NavItem("school_offers.requests_overview", _l("Vragen van scholen")),
    NavItem("school_offers.bookings_overview", _l("Schoolboekingen")),
    NavItem("observations.index", _l("Observaties")),
    NavItem("observations.my_invitations", _l("Mijn uitnodigingen")),
    NavItem("observations.region", _l("Observaties in de regio")),
    NavItem("providers.home", _l("Mijn aanbod")),
    NavItem("providers.queue", _l("Beoordelen")),
    NavItem("providers.doubts", _l("Twijfelachtige koppelingen")),
    NavItem("admin.users", _l("Gebruikers")),
)


def euro(amount: float | Decimal | None) -> str:
    if amount is None:
        return "–"
    return format_currency(amount, "EUR")


def navigation() -> list[NavItem]:
    role = current_user.role if current_user.is_authenticated else None
    items = []
    for item in NAVIGATION:
        rule = rule_for(item.endpoint)
        if rule is not None and rule.admits(role):
            items.append(item)
    return items


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["euro"] = euro
    app.jinja_env.filters["datetime"] = lambda value: format_datetime(value, "d MMM y HH:mm")
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["audience"] = audience_text
    app.jinja_env.globals["Role"] = Role

    @app.context_processor
    def inject_navigation():
        return {"navigation": navigation(), "url_for": url_for}
