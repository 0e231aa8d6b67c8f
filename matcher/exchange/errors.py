"""Validation errors of exchange documents, with JSON paths and Dutch messages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from matcher.limits import MAX_JSON_DEPTH, dutch_number


@dataclass(frozen=True, slots=True)
class ExchangeIssue:
    """One problem: where (a JSON path such as `$.activities[3].price.amount`) and what."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The issue as JSON for the API and the command line."""
        return {"path": self.path, "message": self.message}


class ExchangeError(Exception):
    """An invalid document; carries every problem found, not only the first."""

    def __init__(self, errors: list[ExchangeIssue]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        self.message = (
            "Het document is ongeldig: 1 fout gevonden."
            if count == 1
            else f"Het document is ongeldig: {count} fouten gevonden."
        )
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """`{"error": "ongeldig-document", "message": ..., "errors": [{path, message}]}`."""
        return {
            "error": "ongeldig-document",
            "message": self.message,
            "errors": [issue.to_dict() for issue in self.errors],
        }


def json_path(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """`("activities", 3, "price", "amount")` -> `$.activities[3].price.amount`."""
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


# Python's JSON messages, in Dutch.
_JSON_MESSAGES = {
    "Expecting value": "hier wordt een waarde verwacht",
    "Expecting ',' delimiter": "hier wordt een komma verwacht",
    "Expecting ':' delimiter": "hier wordt een dubbele punt verwacht",
    "Expecting property name enclosed in double quotes": (
        "hier wordt een veldnaam tussen dubbele aanhalingstekens verwacht"
    ),
    "Unterminated string starting at": "een tekst tussen aanhalingstekens wordt niet afgesloten",
    "Invalid control character at": "ongeldig teken in een tekst",
    "Invalid \\escape": "ongeldige escape-reeks in een tekst",
    "Extra data": "na het document staat nog meer tekst",
    "Illegal trailing comma before end of object": "overbodige komma voor het einde van een object",
    "Illegal trailing comma before end of array": "overbodige komma voor het einde van een lijst",
}


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


# A JSON string (with its escapes) or a bracket: strings are skipped, brackets counted. The
# quantifier is possessive and an unclosed string runs to the end of the text, so a text of
# many unclosed quotes is scanned once, not once per quote.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def json_shape(text: str, stop_at: int = MAX_JSON_DEPTH) -> tuple[int, int]:
    """How deep the brackets of `text` nest (outside strings, counted up to `stop_at`), and
    how many objects sit in the root's lists (the rows: activities and providers).

    Run before json.loads, which would recurse once per level until RecursionError, and
    would build every row before anyone could count them; the regular expressions do the
    scanning one match at a time (no copy of the text, nothing kept per match).
    """
    depth = deepest = rows = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char[0] == '"':
            continue
        depth += 1 if char in "[{" else -1
        if depth == 3 and char == "{":
            rows += 1
        if depth > deepest:
            deepest = depth
            if deepest > stop_at:
                break
    return deepest, rows


def json_depth(text: str, stop_at: int = MAX_JSON_DEPTH) -> int:
    return json_shape(text, stop_at)[0]


def load_json_text(text: str, max_depth: int = MAX_JSON_DEPTH,
                   max_rows: int | None = None) -> object:
    """Parse JSON text; invalid JSON raises ExchangeError with line and column in Dutch.

    A document nested deeper than `max_depth`, or with more than `max_rows` objects in the
    root's lists, is refused before it is parsed.
    """
    depth, rows = json_shape(text, max_depth)
    if depth > max_depth:
        raise ExchangeError([ExchangeIssue("$", f"Het document is te diep genest: "
                                                f"hoogstens {max_depth} niveaus van lijsten "
                                                "en objecten.")])
    if max_rows is not None and rows > max_rows:
        raise ExchangeError([ExchangeIssue("$", (
            f"Het document heeft {dutch_number(rows)} activiteiten en aanbieders; het "
            f"maximum is {dutch_number(max_rows)}. Splits het bestand."))])
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:  # cannot happen below max_depth; never a 500 regardless
        raise ExchangeError([ExchangeIssue("$", "Het document is te diep genest.")]) from exc
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
        message = f"Geen geldige JSON: {reason} (regel {exc.lineno}, kolom {exc.colno})."
        raise ExchangeError([ExchangeIssue("$", message)]) from exc
    except ValueError as exc:  # NaN or Infinity: not JSON numbers
        message = f"Geen geldige JSON: '{exc}' is geen getal in JSON."
        raise ExchangeError([ExchangeIssue("$", message)]) from exc
