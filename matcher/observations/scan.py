"""The scan of one group: per dimension a line chart over time and the dimensions that stand out.

Pure: plain data in, plain data out, so it is tested without a database. The chart is drawn by a
template as inline SVG from the coordinates computed here (presentation attributes only, no
style attributes: the CSP allows no inline styles).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from urllib.parse import urlencode

from matcher.observations.models import ObservationSource
from matcher.reference.dimensions import Dimension

# A dimension stands out low when its recent level is at most this (between "enkelen" and
# "ongeveer de helft") or a full point below the group's average over all dimensions.
LOW_LEVEL = 2.5
LOW_MARGIN = 1.0

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 30


@dataclass(frozen=True)
class ScorePoint:
    dimension: str
    observed_on: date
    source: ObservationSource
    score: int


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    observed_on: date
    score: int


@dataclass(frozen=True)
class ChartSeries:
    source: ObservationSource
    points: tuple[ChartPoint, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}"
                        for i, p in enumerate(self.points))


@dataclass(frozen=True)
class Gridline:
    y: float
    score: int


@dataclass(frozen=True)
class DateTick:
    x: float
    label: str
    anchor: str


@dataclass(frozen=True)
class Chart:
    dimension: Dimension
    series: tuple[ChartSeries, ...]
    gridlines: tuple[Gridline, ...]
    ticks: tuple[DateTick, ...]
    recent: float | None
    low: bool
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def has_data(self) -> bool:
        return any(series.points for series in self.series)


@dataclass(frozen=True)
class Scan:
    charts: tuple[Chart, ...]
    low: tuple[Chart, ...]
    average: float | None

    @property
    def activity_request_url(self) -> str:
        return activity_request_url([chart.dimension.key for chart in self.low])


def activity_request_url(dimension_keys: Iterable[str]) -> str:
    """The catalogue's match page with these competences filled in."""
    return "/matchen?" + urlencode([("competences", key) for key in dimension_keys])


def _y(score: float) -> float:
    return TOP + (5 - score) / 4 * (HEIGHT - TOP - BOTTOM)


def _x_scale(first: date, last: date):
    span = max((last - first).days, 1)
    inner = WIDTH - LEFT - RIGHT - 16

    def x(day: date) -> float:
        if first == last:
            return LEFT + 8 + inner / 2
        return LEFT + 8 + (day - first).days / span * inner

    return x


def _recent_level(points: Sequence[ScorePoint]) -> float | None:
    """The mean of the newest score from each source: what the group shows now."""
    newest: dict[ObservationSource, ScorePoint] = {}
    for point in points:
        current = newest.get(point.source)
        if current is None or point.observed_on >= current.observed_on:
            newest[point.source] = point
    return fmean(p.score for p in newest.values()) if newest else None


def build_scan(dimensions: Sequence[Dimension], points: Sequence[ScorePoint]) -> Scan:
    """Charts for every dimension on one shared time axis, and the ones that stand out low."""
    days = sorted({p.observed_on for p in points})
    x = _x_scale(days[0], days[-1]) if days else None
    ticks: tuple[DateTick, ...] = ()
    if days:
        ticks = (DateTick(x(days[0]), days[0].strftime("%d-%m-%y"), "start"),)
        if days[-1] != days[0]:
            ticks += (DateTick(x(days[-1]), days[-1].strftime("%d-%m-%y"), "end"),)
    gridlines = tuple(Gridline(_y(score), score) for score in range(1, 6))
    recents = {}
    for dimension in dimensions:
        own_points = [p for p in points if p.dimension == dimension.key]
        recents[dimension.key] = _recent_level(own_points)
    known = [value for value in recents.values() if value is not None]
    average = fmean(known) if known else None
    charts = []
    for dimension in dimensions:
        recent = recents[dimension.key]
        low = recent is not None and average is not None and (
            recent <= LOW_LEVEL or recent <= average - LOW_MARGIN)
        series = []
        for source in ObservationSource:
            chosen = sorted((p for p in points
                             if p.dimension == dimension.key and p.source == source),
                            key=lambda p: p.observed_on)
            series.append(ChartSeries(source, tuple(
                ChartPoint(x(p.observed_on), _y(p.score), p.observed_on, p.score)
                for p in chosen) if x else ()))
        charts.append(Chart(dimension, tuple(series), gridlines, ticks, recent, low))
    low_charts = tuple(sorted((c for c in charts if c.low), key=lambda c: c.recent or 0))
    return Scan(tuple(charts), low_charts, average)
