"""Query-string parsing for the API, with Dutch errors that name the parameter."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from matcher import limits


@dataclass(frozen=True)
class ParamError:
    path: str
    message: str


class ParamErrors(ValueError):
    def __init__(self, errors: list[ParamError]) -> None:
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))
        self.errors = errors

    def to_dict(self) -> dict:
        return {"error": "ongeldige-parameters",
                "message": "Een of meer parameters zijn ongeldig.",
                "errors": [{"path": e.path, "message": e.message} for e in self.errors]}


class QueryReader:
    """Reads typed values from a query string and collects every problem, not just the first."""

    def __init__(self, args: MultiDict) -> None:
        self.args = args
        self.errors: list[ParamError] = []

    def text(self, name: str, max_length: int = 200) -> str | None:
        value = (self.args.get(name) or "").strip()
        if len(value) > max_length:
            self.errors.append(ParamError(f"?{name}", f"Maximaal {max_length} tekens."))
            return None
        return value or None

    def choice(self, name: str, allowed: Collection[str]) -> str | None:
        value = self.text(name)
        if value is not None and value not in allowed:
            shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else "de API-documentatie"
            self.errors.append(ParamError(f"?{name}",
                                          f"Onbekende waarde '{value}'; kies uit {shown}."))
            return None
        return value

    def integer(self, name: str, default: int | None, minimum: int, maximum: int) -> int | None:
        raw = self.text(name, max_length=12)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.errors.append(ParamError(f"?{name}", f"'{raw}' is geen geheel getal."))
            return default
        if not minimum <= value <= maximum:
            self.errors.append(ParamError(
                f"?{name}", f"Kies een getal van {minimum} tot en met {maximum}."))
            return default
        return value

    def number(self, name: str) -> float | None:
        raw = self.text(name, max_length=20)
        if raw is None:
            return None
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            self.errors.append(ParamError(f"?{name}", f"'{raw}' is geen bedrag."))
            return None
        problem = limits.PRICE.problem(value)
        if problem:
            self.errors.append(ParamError(f"?{name}", problem))
            return None
        return value

    def raise_if_any(self) -> None:
        if self.errors:
            raise ParamErrors(self.errors)
