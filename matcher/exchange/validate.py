"""Validation of exchange documents: pydantic for structure, own checks for the rules.

Both passes run on every document so that one answer lists every problem; pydantic's error
types are translated into Dutch here, by type and by field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from matcher.exchange.errors import ExchangeError, ExchangeIssue, json_path
from matcher.exchange.schema import (
    DISCIPLINES,
    FORMAT,
    FORMATS,
    GRADES,
    LOCATIONS,
    PARTICIPANTS,
    PERIODS,
    PRICE_UNITS,
    PROVIDER_KINDS,
    REQUEST_LOCATIONS,
    REQUEST_PARTICIPANTS,
    SECTORS,
    ActivityDoc,
    OffersDocument,
    RequestDocument,
)
from matcher.limits import MAX_REPORTED_ISSUES, dutch_number
from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import load_menukaart

# Field name -> (Dutch noun, allowed values) for closed lists.
_CLOSED = {
    "sector": ("sector", SECTORS),
    "kind": ("soort aanbieder", PROVIDER_KINDS),
    "disciplines": ("discipline", DISCIPLINES),
    "format": ("vorm", FORMATS),
    "periods": ("periode", PERIODS),
    "per": ("prijseenheid", PRICE_UNITS),
}

_BY_TYPE = {
    "missing": "Verplicht veld ontbreekt.",
    "string_type": "Moet tekst zijn.",
    "string_too_short": "Mag niet leeg zijn.",
    "int_type": "Moet een geheel getal zijn.",
    "int_parsing": "Moet een geheel getal zijn.",
    "int_from_float": "Moet een geheel getal zijn.",
    "float_type": "Moet een getal zijn.",
    "float_parsing": "Moet een getal zijn.",
    "finite_number": "Moet een eindig getal zijn.",
    "bool_type": "Moet true of false zijn.",
    "list_type": "Moet een lijst zijn.",
    "model_type": "Moet een object zijn.",
    "model_attributes_type": "Moet een object zijn.",
    "dict_type": "Moet een object zijn.",
}


def _field_name(loc: tuple[str | int, ...]) -> str:
    return next((part for part in reversed(loc) if isinstance(part, str)), "")


def _quote(value: object, length: int = 60) -> str:
    """A value in a message, shortened: an object of 10,000 characters is not repeated."""
    text = str(value)
    return f"'{text if len(text) <= length else text[:length] + '…'}'"


def _number(value: object) -> str:
    """A bound as a Dutch reader expects it: 0 rather than 0.0, 2,5 rather than 2.5."""
    if isinstance(value, int | float) and float(value).is_integer():
        return dutch_number(int(value))
    return str(value).replace(".", ",")


def translate(error: ErrorDetails) -> str:
    """One pydantic error in Dutch."""
    kind = error["type"]
    loc = tuple(error["loc"])
    ctx = error.get("ctx", {})
    field = _field_name(loc)
    value = error.get("input")
    if kind == "literal_error":
        if loc == ("format",):
            return f"Onbekend formaat {_quote(value)}; verwacht '{FORMAT}'."
        if field == "location":
            options = REQUEST_LOCATIONS if loc[0] == "request" else LOCATIONS
            return f"Onbekende locatie {_quote(value)}; kies uit {', '.join(options)}."
        if field == "participants":
            return _participants_message(value, for_request=loc[0] == "request")
        noun, options = _CLOSED.get(field, ("waarde", ()))
        return f"Onbekende {noun} {_quote(value)}; kies uit {', '.join(options)}."
    if kind == "extra_forbidden":
        return f"Onbekend veld {_quote(field)}; dit veld hoort niet bij het formaat."
    if kind == "string_pattern_mismatch":
        return (
            f"Ongeldige id {_quote(value)}: gebruik kleine letters, cijfers en streepjes, "
            "en begin met een letter of cijfer."
        )
    if kind == "too_short":
        return "Moet minstens één waarde bevatten."
    if kind == "greater_than_equal":
        return f"Moet minstens {_number(ctx.get('ge'))} zijn."
    if kind == "greater_than":
        return f"Moet groter dan {_number(ctx.get('gt'))} zijn."
    if kind == "less_than_equal":
        return f"Mag hoogstens {_number(ctx.get('le'))} zijn."
    if kind == "too_long":
        return f"Mag hoogstens {ctx.get('max_length')} waarden bevatten."
    if kind == "string_too_long":
        return f"Mag hoogstens {ctx.get('max_length')} tekens lang zijn."
    return _BY_TYPE.get(kind, "Ongeldige waarde.")


def _participants_message(value: object, *, for_request: bool) -> str:
    """Who takes part: three values for an activity, two for a request."""
    if for_request and value in PARTICIPANTS:
        return (f"{_quote(value)} kan niet in een aanvraag: zoek voor leerlingen (ouders die "
                "meedoen tellen als leerlingen) of voor het team; kies uit "
                f"{', '.join(REQUEST_PARTICIPANTS)}.")
    options = REQUEST_PARTICIPANTS if for_request else PARTICIPANTS
    return f"Onbekende waarde {_quote(value)} voor wie er meedoet; kies uit {', '.join(options)}."


def _pydantic_issues(model: type, data: object) -> tuple[Any, list[ExchangeIssue]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        issues = [ExchangeIssue(json_path(tuple(e["loc"])), translate(e)) for e in exc.errors()]
        return None, issues


# ---------------------------------------------------------------- rule checks on raw data


def _items(data: object, key: str) -> Iterator[tuple[int, dict]]:
    """(index, object) of a list field, skipping what pydantic already reports."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _strings(obj: dict, key: str) -> Iterator[tuple[int, str]]:
    value = obj.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield i, item


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _grade_issues(path: str, sector: object, grades: object) -> list[ExchangeIssue]:
    # A sector that is an object or a list is reported by pydantic; it is no dict key here.
    if not isinstance(sector, str) or sector not in GRADES or not isinstance(grades, list):
        return []
    low, high = GRADES[sector]
    word = "Leerjaar" if sector == "vo" else "Groep"
    return [
        ExchangeIssue(f"{path}[{i}]", f"{word} {g} bestaat niet in het {sector} ({low}-{high}).")
        for i, g in enumerate(grades)
        if _is_int(g) and not low <= g <= high
    ]


def _duplicate_issues(data: object, key: str) -> list[ExchangeIssue]:
    seen: dict[str, int] = {}
    issues = []
    for i, item in _items(data, key):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = f"$.{key}[{seen[ident]}]"
            issues.append(
                ExchangeIssue(f"$.{key}[{i}].id",
                              f"De id {_quote(ident)} komt al voor bij {first}.")
            )
        else:
            seen[ident] = i
    return issues


def _intervention_message(key: str) -> str | None:
    menukaart = load_menukaart()
    if key in menukaart.keys:
        return None
    for item in menukaart.not_effective:
        if item.key == key:
            return (
                f"'{key}' ({item.name}) staat niet op de menukaart: {item.reason} "
                "Kies een interventie van de menukaart."
            )
    return f"Onbekende interventie {_quote(key)}; gebruik een sleutel van de menukaart."


def _keys_issues(path: str, obj: dict) -> list[ExchangeIssue]:
    """Interventions must be menukaart keys; competences observation dimensions."""
    issues = []
    for i, key in _strings(obj, "interventions"):
        message = _intervention_message(key)
        if message:
            issues.append(ExchangeIssue(f"{path}.interventions[{i}]", message))
    competences = load_dimensions().keys
    for i, key in _strings(obj, "competences"):
        if key not in competences:
            allowed = ", ".join(sorted(competences))
            issues.append(
                ExchangeIssue(
                    f"{path}.competences[{i}]",
                    f"Onbekende competentie {_quote(key)}; kies uit {allowed}.",
                )
            )
    return issues


def _contact_issues(path: str, provider: dict) -> list[ExchangeIssue]:
    issues = []
    email = provider.get("email")
    if isinstance(email, str) and email.strip():
        local, _at, domain = email.strip().partition("@")
        if not local or "." not in domain or " " in email.strip():
            issues.append(ExchangeIssue(f"{path}.email", f"Ongeldig e-mailadres {_quote(email)}."))
    website = provider.get("website")
    if (
        isinstance(website, str)
        and website.strip()
        and not website.strip().startswith(("http://", "https://"))
    ):
        issues.append(
            ExchangeIssue(f"{path}.website", "Een website begint met http:// of https://.")
        )
    return issues


def _activity_issues(path: str, act: dict, providers: Set[str]) -> list[ExchangeIssue]:
    issues = []
    provider = act.get("provider")
    if isinstance(provider, str) and provider not in providers:
        issues.append(
            ExchangeIssue(
                f"{path}.provider",
                f"Aanbieder {_quote(provider)} staat niet in dit bestand en is nog niet bekend.",
            )
        )
    for j, aud in _items(act, "audience"):
        issues += _grade_issues(
            f"{path}.audience[{j}].grades", aud.get("sector"), aud.get("grades")
        )
    size = act.get("group_size")
    if isinstance(size, dict):
        low, high = size.get("min"), size.get("max")
        if _is_int(low) and _is_int(high) and low > high:
            issues.append(
                ExchangeIssue(
                    f"{path}.group_size.min",
                    f"De minimale groepsgrootte ({low}) is groter dan de maximale ({high}).",
                )
            )
    return issues + _keys_issues(path, act)


def _offers_rules(data: object, known_providers: Set[str],
                  max_issues: int = MAX_REPORTED_ISSUES) -> list[ExchangeIssue]:
    """The rules pydantic cannot check; past `max_issues` problems the rest is skipped (one
    issue more, which `_capped` turns into the note that checking stopped)."""
    issues = _duplicate_issues(data, "providers") + _duplicate_issues(data, "activities")
    in_file = set()
    for i, provider in _items(data, "providers"):
        if isinstance(provider.get("id"), str):
            in_file.add(provider["id"])
        issues += _contact_issues(f"$.providers[{i}]", provider)
    providers = in_file | set(known_providers)
    for i, act in _items(data, "activities"):
        if len(issues) > max_issues:
            break
        issues += _activity_issues(f"$.activities[{i}]", act, providers)
    return issues


def _request_rules(data: object) -> list[ExchangeIssue]:
    request = data.get("request") if isinstance(data, dict) else None
    if not isinstance(request, dict):
        return []
    school = request.get("school")
    sector = school.get("sector") if isinstance(school, dict) else None
    issues = _grade_issues("$.request.grades", sector, request.get("grades"))
    return issues + _keys_issues("$.request", request)


def _check(model: type, data: object, rules: list[ExchangeIssue]) -> Any:
    if not isinstance(data, dict):
        raise ExchangeError([ExchangeIssue("$", "Het document moet een JSON-object zijn.")])
    document, issues = _pydantic_issues(model, data)
    issues = _sorted_unique(issues + rules)
    if issues:
        raise ExchangeError(issues)
    return document


def _sorted_unique(issues: list[ExchangeIssue]) -> list[ExchangeIssue]:
    # Keep document order (pydantic reports in field order, the rules follow it).
    seen = set()
    result = []
    for issue in issues:
        if issue not in seen:
            seen.add(issue)
            result.append(issue)
    return result


def parse_offers(data: object, known_providers: Set[str] | None = None,
                 max_issues: int = MAX_REPORTED_ISSUES) -> OffersDocument:
    """Validate an offers document (spec section 1); raise ExchangeError with every problem.

    `known_providers` are provider ids already in the system: activities may refer to them.
    Activities are validated a chunk at a time; once more than `max_issues` problems are
    found the rest is not checked (a file of 20,000 broken rows would otherwise make
    300,000 messages), and the last issue says where checking stopped.
    """
    rules = _offers_rules(data, known_providers or frozenset()) if isinstance(data, dict) else []
    activities = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(activities, list) or len(activities) <= _CHUNK:
        return _check(OffersDocument, data, _capped(rules, max_issues))
    return _check_in_chunks(data, activities, rules, max_issues)


def _capped(issues: list[ExchangeIssue], max_issues: int) -> list[ExchangeIssue]:
    if len(issues) <= max_issues:
        return issues
    return [*issues[:max_issues], ExchangeIssue("$", (
        f"Meer dan {dutch_number(max_issues)} fouten; de rest van het bestand is niet meer "
        "gecontroleerd."))]


_CHUNK = 1000
_ACTIVITIES = TypeAdapter(list[ActivityDoc])


def _check_in_chunks(data: dict, activities: list, rules: list[ExchangeIssue],
                     max_issues: int) -> OffersDocument:
    skeleton, issues = _pydantic_issues(OffersDocument, {**data, "activities": []})
    checked: list[ActivityDoc] = []
    for start in range(0, len(activities), _CHUNK):
        try:
            checked += _ACTIVITIES.validate_python(activities[start:start + _CHUNK])
        except ValidationError as exc:
            issues += [ExchangeIssue(json_path(("activities", start + e["loc"][0],
                                                *e["loc"][1:])), translate(e))
                       for e in exc.errors()]
        if len(issues) > max_issues and start + _CHUNK < len(activities):
            issues = issues[:max_issues]
            rules = [r for r in rules if _activity_index(r.path) < start + _CHUNK]
            issues.append(ExchangeIssue("$.activities", (
                f"Meer dan {dutch_number(max_issues)} fouten: de activiteiten na nummer "
                f"{dutch_number(start + _CHUNK)} zijn niet meer gecontroleerd.")))
            break
    issues = _sorted_unique(issues + _capped(rules, max_issues))
    if issues:
        raise ExchangeError(issues)
    return OffersDocument.model_construct(format=skeleton.format, providers=skeleton.providers,
                                          activities=checked)


def _activity_index(path: str) -> int:
    match = re.match(r"^\$\.activities\[(\d+)\]", path)
    return int(match.group(1)) if match else -1


def parse_request(data: object) -> RequestDocument:
    """Validate a match request document (spec section 2); raise ExchangeError if invalid."""
    rules = _request_rules(data) if isinstance(data, dict) else []
    return _check(RequestDocument, data, rules)
