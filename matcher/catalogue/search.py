"""One reading of catalogue search parameters, shared by the web page and the JSON API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from matcher import matching
from matcher.catalogue.params import QueryReader
from matcher.db import db
from matcher.engine.model import SearchFilters
from matcher.exchange import schema as vocabulary
from matcher.reference.menukaart import load_menukaart
from providers.models import Activity

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchQuery:
    q: str | None
    filters: SearchFilters
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    total: int
    activities: Sequence[Activity]
    facets: dict[str, dict[str, int]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def read_search_query(args: MultiDict, default_per_page: int = 20) -> SearchQuery:
    """Parse the query string; raises ParamErrors naming every bad parameter."""
    reader = QueryReader(args)
    query = SearchQuery(
        q=reader.text("q"),
        filters=SearchFilters(
            gemeente=reader.text("gemeente", max_length=100),
            sector=reader.choice("sector", vocabulary.SECTORS),
            grade=reader.integer("grade", None, 1, 8),
            period=reader.choice("period", vocabulary.PERIODS),
            intervention=reader.choice("intervention", load_menukaart().keys),
            discipline=reader.choice("discipline", vocabulary.DISCIPLINES),
            max_price=reader.number("max_price"),
            participants=reader.choice("participants", vocabulary.PARTICIPANTS),
        ),
        page=reader.integer("page", 1, 1, 100_000),
        per_page=reader.integer("per_page", default_per_page, 1, MAX_PER_PAGE),
    )
    reader.raise_if_any()
    return query


def run_search(query: SearchQuery) -> SearchPage:
    result = matching.catalogue().search(query.q or "", query.filters, offset=query.offset,
                                         limit=query.per_page)
    return SearchPage(query=query, total=result.total,
                      activities=load_activities(result.items), facets=result.facets)


def load_activities(keys: Sequence[str]) -> list[Activity]:
    """The rows for these keys, in the given order (the engine's ranking)."""
    if not keys:
        return []
    rows = db.session.scalars(select(Activity).where(Activity.key.in_(keys))
                              .options(selectinload(Activity.provider))).all()
    by_key = {row.key: row for row in rows}
    return [by_key[key] for key in keys if key in by_key]
