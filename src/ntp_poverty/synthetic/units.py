"""The reporting units of the synthetic feed: the real geography, weighted and sampled reproducibly.

The generator must look like the country, not like a uniform grid: it reads every unit of
``seeds/reference/geographies.csv`` (only the columns geography_code, admin_level,
parent_geography_code, valid_from, valid_to and successor_geography_code, so it works on any
version of the seed), gives every legacy district a heavy-tailed poverty weight (Pareto, seeded:
a few poor districts get far more than the rest, and the top ones are "poor districts" eligible for
the infrastructure and housing projects), and keys rows from July 2025 to the units of the 2025
structure (their weight is that of their legacy predecessors, from geography_successors.csv when
present). Every random draw is keyed by the seed and the unit's code, so a unit's weight and
whether it is sampled never depend on which other units exist or on the order of generation.
"""

from __future__ import annotations

import csv
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

PARETO_ALPHA = 1.6
POOR_DISTRICT_SHARE = 0.12


def keyed_rng(seed: int, *keys: str) -> np.random.Generator:
    """A generator that depends only on the seed and the keys (stable across runs and platforms)."""
    return np.random.default_rng([seed, *(zlib.crc32(k.encode("utf-8")) for k in keys)])


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class Unit:
    """One administrative unit as the generator needs it."""

    code: str
    level: str
    parent: str
    province: str
    valid_from: date | None
    valid_to: date | None
    successor_province: str
    weight: float = 1.0
    poor: bool = False
    draw: float = 0.0  # uniform draw deciding whether the unit is sampled

    def valid_on(self, day: date) -> bool:
        """True when the unit exists on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass
class Geography:
    """Every unit, by code, with its children by province and level."""

    units: dict[str, Unit]
    by_province: dict[str, dict[str, list[Unit]]] = field(default_factory=dict)

    def provinces(self) -> list[Unit]:
        return sorted((u for u in self.units.values() if u.level == "province"), key=lambda u: u.code)

    def members(self, province: str, level: str) -> list[Unit]:
        return self.by_province.get(province, {}).get(level, [])


def _province_of(code: str, rows: dict[str, dict[str, str]]) -> str:
    seen = 0
    while rows[code]["admin_level"] != "province":
        code = rows[code]["parent_geography_code"]
        seen += 1
        if seen > 3 or code not in rows:
            raise ValueError(f"geographies.csv: unit {code!r} has no province above it")
    return code


def load_geography(reference_dir: Path, seed: int) -> Geography:
    """Read the units and give each its weight, poor flag and sampling draw."""
    with (reference_dir / "geographies.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["geography_code"]: r for r in csv.DictReader(handle)}
    units = {
        code: Unit(
            code,
            r["admin_level"],
            r.get("parent_geography_code") or "",
            _province_of(code, rows),
            _date(r.get("valid_from") or ""),
            _date(r.get("valid_to") or ""),
            r.get("successor_geography_code") or code,
        )
        for code, r in rows.items()
    }
    geography = Geography(units)
    for unit in units.values():
        geography.by_province.setdefault(unit.province, defaultdict(list))[unit.level].append(unit)
    for members in geography.by_province.values():
        for level_units in members.values():
            level_units.sort(key=lambda u: u.code)
    _weigh(geography, reference_dir / "geography_successors.csv", seed)
    for unit in units.values():
        unit.draw = float(keyed_rng(seed, "sample", unit.code).random())
    return geography


def _weigh(geography: Geography, successors_csv: Path, seed: int) -> None:
    """Pareto weight per legacy district; communes vary around their district; 2025 units inherit."""
    units = geography.units
    legacy_districts = [u for u in units.values() if u.level == "district"]
    for unit in legacy_districts:
        unit.weight = float(keyed_rng(seed, "weight", unit.code).pareto(PARETO_ALPHA)) + 0.3
    ranked = sorted(legacy_districts, key=lambda u: -u.weight)
    for unit in ranked[: max(1, round(len(ranked) * POOR_DISTRICT_SHARE))] if ranked else []:
        unit.poor = True
    for unit in units.values():
        if unit.level == "commune" and unit.parent in units and units[unit.parent].level == "district":
            district = units[unit.parent]
            unit.weight = district.weight * float(keyed_rng(seed, "weight", unit.code).lognormal(0.0, 0.4))
            unit.poor = district.poor
    for province in geography.provinces():
        districts = geography.members(province.code, "district")
        if districts:
            province.weight = float(np.mean([d.weight for d in districts]))
            province.poor = sum(d.poor for d in districts) / len(districts) > 0.2
        elif province.valid_from is None:  # a legacy province of a seed without districts
            province.weight = float(keyed_rng(seed, "weight", province.code).pareto(PARETO_ALPHA)) + 0.3
    _inherit_2025(geography, successors_csv)


def _inherit_2025(geography: Geography, successors_csv: Path) -> None:
    """A 2025 unit takes the mean weight of its legacy predecessors (any of them poor: poor)."""
    units = geography.units
    predecessors: dict[str, list[Unit]] = defaultdict(list)
    if successors_csv.exists():
        with successors_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["geography_code"] in units and row["successor_geography_code"] in units:
                    predecessors[row["successor_geography_code"]].append(units[row["geography_code"]])
    for unit in units.values():
        if unit.valid_from is None:
            continue
        same_level = [p for p in predecessors.get(unit.code, []) if p.level == unit.level]
        if not same_level:  # a new province: the legacy provinces that merged into it
            same_level = (
                [
                    p
                    for p in units.values()
                    if p.level == unit.level and p.valid_from is None and p.successor_province == unit.code
                ]
                if unit.level == "province"
                else []
            )
        if not same_level:
            same_level = [units[unit.province]] if unit.province in units else []
        if same_level:
            unit.weight = float(np.mean([p.weight for p in same_level]))
            unit.poor = any(p.poor for p in same_level)
