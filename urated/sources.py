"""The registry of metric sources, read from the one place it is declared.

`transform/dbt_project.yml` (`vars.metric_sources`, described there) says per source:
its platform, metrics, cadence, precedence, rounding, era and the source it hands over
to. dbt reads it when it parses the project (the observation union, daily readings,
rounding and junctions are rendered from it); this module reads the same file for
Python: cadences for Dagster, the raw assets on each side of a junction, precedence
for the tests' growth oracle. A malformed entry is an error naming the source and
the field, never a silently shorter registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from urated import settings

REGISTRY_FILE = settings.TRANSFORM_DIR / "dbt_project.yml"
CADENCES = ("daily", "weekly")
PLATFORMS = ("youtube", "spotify", "instagram")
# Junction endpoints are per YouTube channel (junction_report.youtube_channel_id).
JUNCTION_PLATFORM = "youtube"


class RegistryError(ValueError):
    """The registry of metric sources is malformed."""


@dataclass(frozen=True)
class MetricSource:
    """One entry of the registry (field meanings: the comment above it in dbt_project.yml)."""

    source: str
    platform: str
    description: str
    observations_model: str
    raw_assets: tuple[str, ...]
    metrics: tuple[str, ...]
    cadence: str
    precedence: int
    rounded_metrics: tuple[str, ...]
    rounded_since: date | None
    era_start: date | None
    era_end: date | None
    hands_over_to: str | None
    junction: str | None

    def is_rounded(self, metric: str, day: date) -> bool:
        """Whether this source publishes `metric` on `day` rounded to 3 significant figures."""
        return metric in self.rounded_metrics and self.rounded_since is not None and day >= self.rounded_since


@dataclass(frozen=True)
class Junction:
    """Where `older` hands over to `newer`; `order` is 1, 2, ... in declaration order."""

    name: str
    order: int
    older: MetricSource
    newer: MetricSource

    @property
    def older_assets(self) -> tuple[str, ...]:
        return self.older.raw_assets

    @property
    def newer_assets(self) -> tuple[str, ...]:
        return self.newer.raw_assets


def load(path: Path = REGISTRY_FILE) -> tuple[MetricSource, ...]:
    """Read and validate the registry in `path` (a dbt_project.yml)."""
    project = yaml.safe_load(Path(path).read_text()) or {}
    entries = (project.get("vars") or {}).get("metric_sources")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: vars.metric_sources must be a non-empty list of sources")
    registry = tuple(_parse(entry, position, path) for position, entry in enumerate(entries, start=1))
    _check_together(registry, path)
    return registry


@cache
def sources() -> tuple[MetricSource, ...]:
    """Every registered source, in declaration order."""
    return load()


def source(name: str) -> MetricSource:
    for candidate in sources():
        if candidate.source == name:
            return candidate
    raise KeyError(f"{name!r} is not a registered metric source; known: {', '.join(s.source for s in sources())}")


def cadence(name: str) -> str:
    """`daily` or `weekly`: how often the source's raw assets should land."""
    return source(name).cadence


def raw_asset_cadence(asset_key: str) -> str:
    """The cadence of the source whose collection writes `asset_key` (e.g. `raw/wayback/snapshots`)."""
    owners = [s for s in sources() if asset_key in s.raw_assets]
    if not owners:
        raise KeyError(f"no registered metric source writes {asset_key!r}")
    return _one_cadence(owners, asset_key)


def dataset_cadence(dataset: str) -> str:
    """The cadence of the sources writing raw dataset `raw_<dataset>` (a dlt source's assets)."""
    owners = [s for s in sources() if any(a.split("/")[1] == dataset for a in s.raw_assets)]
    if not owners:
        raise KeyError(f"no registered metric source writes raw_{dataset}")
    return _one_cadence(owners, f"raw_{dataset}")


def precedence() -> dict[str, int]:
    """Source -> precedence (the lowest number wins where sources overlap)."""
    return {s.source: s.precedence for s in sources()}


def junctions() -> tuple[Junction, ...]:
    """Every hand-over, in declaration order, with the sources (and so raw assets) on each side."""
    return junctions_of(sources())


def junctions_of(registry: tuple[MetricSource, ...]) -> tuple[Junction, ...]:
    """The hand-overs of a registry (`load`'s result), numbered in declaration order."""
    by_name = {s.source: s for s in registry}
    handing = [s for s in registry if s.hands_over_to]
    return tuple(Junction(s.junction, order, s, by_name[s.hands_over_to]) for order, s in enumerate(handing, start=1))


def _one_cadence(owners: list[MetricSource], what: str) -> str:
    cadences = {s.cadence for s in owners}
    if len(cadences) > 1:
        raise RegistryError(f"{what} is written by sources of different cadences: "
                            + ", ".join(f"{s.source} ({s.cadence})" for s in owners))
    return cadences.pop()


_FIELDS = ("source", "platform", "description", "observations_model", "raw_assets", "metrics", "cadence",
           "precedence", "rounded_metrics", "rounded_since", "era_start", "era_end", "hands_over_to", "junction")


def _parse(entry: object, position: int, path: Path) -> MetricSource:
    where = f"{path}: metric_sources entry {position}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where} is not a mapping")
    where = f"{path}: metric source {entry.get('source', position)!r}"
    missing = [name for name in _FIELDS if name not in entry]
    unknown = sorted(set(entry) - set(_FIELDS))
    if missing or unknown:
        raise RegistryError(f"{where}: " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])))

    def text(name: str, optional: bool = False) -> str | None:
        value = entry[name]
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(f"{where}: {name} must be a non-empty string, got {value!r}")
        return value

    def names(name: str, allow_empty: bool = False) -> tuple[str, ...]:
        value = entry[name]
        if not isinstance(value, list) or (not value and not allow_empty) or not all(isinstance(v, str) and v for v in value):
            raise RegistryError(f"{where}: {name} must be a list of names, got {value!r}")
        return tuple(value)

    def day(name: str) -> date | None:
        value = entry[name]
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise RegistryError(f"{where}: {name} must be a date (YYYY-MM-DD) or null, got {value!r}") from None

    parsed = MetricSource(
        source=text("source"), platform=text("platform"), description=text("description"),
        observations_model=text("observations_model"), raw_assets=names("raw_assets"), metrics=names("metrics"),
        cadence=text("cadence"), precedence=entry["precedence"], rounded_metrics=names("rounded_metrics", allow_empty=True),
        rounded_since=day("rounded_since"), era_start=day("era_start"), era_end=day("era_end"),
        hands_over_to=text("hands_over_to", optional=True), junction=text("junction", optional=True),
    )
    problems = []
    if parsed.platform not in PLATFORMS:
        problems.append(f"platform must be one of {', '.join(PLATFORMS)}, got {parsed.platform!r}")
    if parsed.cadence not in CADENCES:
        problems.append(f"cadence must be daily or weekly, got {parsed.cadence!r}")
    if not isinstance(parsed.precedence, int) or isinstance(parsed.precedence, bool) or parsed.precedence < 1:
        problems.append(f"precedence must be a positive integer, got {parsed.precedence!r}")
    bad_assets = [a for a in parsed.raw_assets if len(a.split("/")) != 3 or a.split("/")[0] != "raw"]
    if bad_assets:
        problems.append(f"raw_assets must look like raw/<dataset>/<table>, got {', '.join(bad_assets)}")
    if set(parsed.rounded_metrics) - set(parsed.metrics):
        problems.append("rounded_metrics must be among its metrics")
    if bool(parsed.rounded_metrics) != (parsed.rounded_since is not None):
        problems.append("rounded_metrics and rounded_since go together")
    if parsed.era_start and parsed.era_end and parsed.era_end < parsed.era_start:
        problems.append("era_end is before era_start")
    if (parsed.hands_over_to is None) != (parsed.junction is None):
        problems.append("hands_over_to and junction go together")
    if problems:
        raise RegistryError(f"{where}: " + "; ".join(problems))
    return parsed


def _check_together(registry: tuple[MetricSource, ...], path: Path) -> None:
    """Rules across entries: unique names, unambiguous precedence, hand-overs that exist and move forward."""
    problems = []
    by_name: dict[str, MetricSource] = {}
    for s in registry:
        if s.source in by_name:
            problems.append(f"source {s.source!r} is declared twice")
        by_name[s.source] = s
    for field in ("observations_model", "junction"):
        values = [getattr(s, field) for s in registry if getattr(s, field)]
        problems += [f"{field} {v!r} is declared twice" for v in sorted({v for v in values if values.count(v) > 1})]
    for a in registry:
        for b in registry:
            shared = set(a.metrics) & set(b.metrics)
            if a.source < b.source and a.platform == b.platform and shared and a.precedence == b.precedence:
                problems.append(f"{a.source} and {b.source} both measure {', '.join(sorted(shared))} on {a.platform} "
                                f"with precedence {a.precedence}: which one wins would be arbitrary")
    for s in registry:
        if not s.hands_over_to:
            continue
        newer = by_name.get(s.hands_over_to)
        if newer is None:
            problems.append(f"{s.source} hands over to {s.hands_over_to!r}, which is not registered")
        elif s.platform != JUNCTION_PLATFORM or newer.platform != JUNCTION_PLATFORM:
            problems.append(f"{s.source} → {newer.source}: junctions are judged per YouTube channel only")
        elif s.era_start is None or (newer.era_start is not None and newer.era_start <= s.era_start):
            problems.append(f"{s.source} → {newer.source}: the source taking over must start after {s.source} starts")
    if problems:
        raise RegistryError(f"{path}: " + "; ".join(problems))
