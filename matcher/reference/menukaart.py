"""The menukaart as plain, immutable data, read from the file shipped in this package.

Pure Python: the engine, the exchange validation and the database loader all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

VERSIONS = ("2021", "2022")


@dataclass(frozen=True, slots=True)
class Figures:
    """Impact in months of extra growth; evidence and cost on a 1..5 scale (None: not published)."""

    impact: int | None
    evidence: int | None
    cost: int | None


@dataclass(frozen=True, slots=True)
class Doelgebied:
    letter: str
    name: str
    supporting_only: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Intervention:
    key: str
    doelgebied: str
    name: str
    figures: dict[str, Figures | None]
    types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NotEffective:
    key: str
    name: str
    reason: str
    eef: str


@dataclass(frozen=True, slots=True)
class Menukaart:
    doelgebieden: tuple[Doelgebied, ...]
    interventions: tuple[Intervention, ...]
    not_effective: tuple[NotEffective, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(i.key for i in self.interventions)

    @property
    def not_effective_keys(self) -> frozenset[str]:
        return frozenset(n.key for n in self.not_effective)

    def get(self, key: str) -> Intervention | None:
        return next((i for i in self.interventions if i.key == key), None)

    def in_doelgebied(self, letter: str) -> tuple[Intervention, ...]:
        return tuple(i for i in self.interventions if i.doelgebied == letter)


def _figures(raw: dict | None) -> dict[str, Figures | None]:
    raw = raw or {}
    return {v: Figures(**raw[v]) if raw.get(v) else None for v in VERSIONS}


@cache
def load_menukaart() -> Menukaart:
    """Parse the packaged menukaart once per process."""
    text = resources.files("matcher.reference").joinpath("menukaart.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return Menukaart(
        doelgebieden=tuple(Doelgebied(**d) for d in raw["doelgebieden"]),
        interventions=tuple(
            Intervention(
                key=i["key"],
                doelgebied=i["doelgebied"],
                name=i["name"],
                figures=_figures(i.get("figures")),
                types=tuple(i.get("types", ())),
            )
            for i in raw["interventions"]
        ),
        not_effective=tuple(NotEffective(**n) for n in raw["not_effective"]),
    )
