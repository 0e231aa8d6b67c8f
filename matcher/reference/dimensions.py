"""The observation dimensions (= activity competences) and scales, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    name: str
    observe: str
    maps_to: dict[str, str]


@dataclass(frozen=True, slots=True)
class Dimensions:
    dimensions: tuple[Dimension, ...]
    group_scale: dict[int, str]
    pupil_scale: dict[int, str]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(d.key for d in self.dimensions)

    def get(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)


@cache
def load_dimensions() -> Dimensions:
    """Parse the packaged dimensions file once per process."""
    text = resources.files("matcher.reference").joinpath("dimensions.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return Dimensions(
        dimensions=tuple(Dimension(**d) for d in raw["dimensions"]),
        group_scale={int(k): v for k, v in raw["group_scale"].items()},
        pupil_scale={int(k): v for k, v in raw["pupil_scale"].items()},
    )
