"""One synthetic report as a table of line items, built with numpy (no Python loop over rows).

A report is what a reporting system exports for one province and period: for every unit it covers
(the province itself, its districts, its communes), the amounts of each "block" (a Decision 90
sub-project or project without sub-projects × capital type) by funding source, printed as a
table would print them: the three budget sources and their total (the report's definition of
total: central + local + other mobilised), policy credit apart (never in a total), then for each
capital type the total over components per source and the grand total. Every total is the exact
sum of what it names (amounts are integers of thousandths of a million VND until written), so the
only totals that do not add up are the deliberate errors of :func:`plant_error`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

SOURCES = ("central_budget", "local_budget", "other_mobilized")
SUMS_SOURCES = "|".join(SOURCES)
CAPITALS = ("development_investment", "recurrent")
PROJECTS = ("DA1", "DA2", "DA3", "DA4", "DA5", "DA6", "DA7")

# component: (base million VND per commune-month of central budget, development / recurrent;
#             presence probability outside / inside poor districts, development / recurrent)
CATALOGUE: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "DA1.1": ((250, 15), (0.05, 0.02), (0.90, 0.30)),
    "DA1.2": ((120, 30), (0.01, 0.01), (0.60, 0.60)),
    "DA2": ((10, 40), (0.02, 0.50), (0.05, 0.80)),
    "DA3.1": ((8, 45), (0.03, 0.60), (0.05, 0.80)),
    "DA3.2": ((2, 12), (0.01, 0.40), (0.02, 0.70)),
    "DA4.1": ((60, 25), (0.15, 0.30), (0.30, 0.50)),
    "DA4.2": ((2, 6), (0.01, 0.08), (0.01, 0.15)),
    "DA4.3": ((3, 10), (0.01, 0.40), (0.02, 0.50)),
    "DA5": ((20, 70), (0.02, 0.05), (0.10, 0.80)),
    "DA6.1": ((5, 6), (0.05, 0.30), (0.05, 0.40)),
    "DA6.2": ((1, 4), (0.01, 0.50), (0.01, 0.50)),
    "DA7.1": ((2, 8), (0.01, 0.60), (0.01, 0.60)),
    "DA7.2": ((1, 3), (0.01, 0.30), (0.01, 0.30)),
}
# policy credit (Vietnam Bank for Social Policies): component, base, presence outside / inside poor
CREDIT: dict[str, tuple[float, float, float]] = {
    "DA2": (300, 0.30, 0.50),
    "DA3.1": (200, 0.30, 0.50),
    "DA4.1": (60, 0.05, 0.10),
    "DA4.2": (80, 0.05, 0.10),
    "DA4.3": (150, 0.20, 0.30),
    "DA5": (400, 0.03, 0.50),
}

BLOCK_COMPONENTS = np.array([c for c in CATALOGUE for _ in CAPITALS], dtype=object)
BLOCK_CAPITAL = np.array([i for _ in CATALOGUE for i in range(len(CAPITALS))])
BLOCK_BASE = np.array([b for base, _, _ in CATALOGUE.values() for b in base])
BLOCK_W = np.array(
    [
        [p for _, outside, _ in CATALOGUE.values() for p in outside],
        [p for _, _, inside in CATALOGUE.values() for p in inside],
    ]
)
BLOCK_PROJECT = np.array([PROJECTS.index(c.split(".")[0]) for c in BLOCK_COMPONENTS])
CREDIT_COMPONENTS = np.array(list(CREDIT), dtype=object)
CREDIT_BASE = np.array([v[0] for v in CREDIT.values()])
CREDIT_W = np.array([[v[1] for v in CREDIT.values()], [v[2] for v in CREDIT.values()]])
#: sums_components for every set of projects (bit i = PROJECTS[i])
PROJECT_LISTS = np.array(["|".join(p for i, p in enumerate(PROJECTS) if m >> i & 1) for m in range(128)], dtype=object)

LEAF, SOURCE_TOTAL, COMPONENT_TOTAL, GRAND_TOTAL, CREDIT_LEAF = range(5)
SEASON = np.array([0.4, 0.5, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.9]) / 1.075
YEAR_FACTOR = {2021: 0.15, 2022: 0.6, 2023: 1.0, 2024: 1.15, 2025: 1.25}


@dataclass
class ReportUnits:
    """The units one report covers, as arrays."""

    codes: np.ndarray  # object: geography_code
    levels: np.ndarray  # object: admin_level
    scale: np.ndarray  # float: weight × level factor
    poor: np.ndarray  # bool
    counterpart: float  # the province's local / central ratio


@dataclass
class Report:
    """A generated report: its rows as arrays, in printed order, and what each row is."""

    report_id: str
    fiscal_year: int
    period_month: int | None
    phase: str
    unit: np.ndarray  # index into ReportUnits
    kind: np.ndarray  # LEAF, SOURCE_TOTAL, ...
    capital: np.ndarray  # index into CAPITALS (-1 for credit)
    codes: np.ndarray
    levels: np.ndarray
    component: np.ndarray
    source: np.ndarray
    capital_code: np.ndarray
    amount: np.ndarray  # int64 thousandths of a million VND
    sums_components: np.ndarray

    def __len__(self) -> int:
        return len(self.amount)


def expected_rows_per_unit(poor: bool, g: float, credit: bool) -> float:
    """Expected leaf rows of one unit in one report at density ``g`` (for sizing the feed)."""
    rows = 3 * np.minimum(1.0, BLOCK_W[int(poor)] * g).sum()
    return float(rows + (np.minimum(1.0, CREDIT_W[int(poor)] * g).sum() if credit else 0.0))


def _lognormal(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(-sigma * sigma / 2, sigma, n)


def generate(
    report_id: str,
    year: int,
    month: int | None,
    phase: str,
    units: ReportUnits,
    g: float,
    credit: bool,
    rng: np.random.Generator,
) -> Report:
    """Draw the blocks each unit reports, their amounts, and every total, in printed order."""
    n_units, n_blocks = len(units.codes), len(BLOCK_COMPONENTS)
    w = BLOCK_W[units.poor.astype(int)]
    present = rng.random((n_units, n_blocks)) < np.minimum(1.0, w * g)
    empty = ~present.any(axis=1)  # a unit in a report reports something
    present[empty, np.argmax(w[empty], axis=1)] = True
    pu, pb = np.nonzero(present)
    period = YEAR_FACTOR.get(year, 1.0) * (SEASON[month - 1] if month else 12 * 1.1)
    central = np.rint(BLOCK_BASE[pb] * units.scale[pu] * period * _lognormal(rng, 0.35, len(pu)) * 1000)
    local = np.rint(central * units.counterpart * _lognormal(rng, 0.25, len(pu)))
    other = np.where(rng.random(len(pu)) < 0.4, np.rint(central * 0.06 * _lognormal(rng, 0.5, len(pu))), 0)
    by_source = np.stack([central, local, other]).astype(np.int64)  # 3 × blocks

    parts: list[dict[str, np.ndarray]] = []
    cap = BLOCK_CAPITAL[pb]
    for s, source in enumerate(SOURCES):
        parts.append(_rows(pu, LEAF, cap, BLOCK_COMPONENTS[pb], source, by_source[s], pb * 8 + s))
    parts.append(_rows(pu, SOURCE_TOTAL, cap, BLOCK_COMPONENTS[pb], "total", by_source.sum(axis=0), pb * 8 + 3))
    if credit:
        cw = CREDIT_W[units.poor.astype(int)]
        cu, cc = np.nonzero(rng.random((n_units, len(CREDIT_COMPONENTS))) < np.minimum(1.0, cw * g))
        amount = np.rint(CREDIT_BASE[cc] * units.scale[cu] * period * _lognormal(rng, 0.5, len(cu)) * 1000)
        parts.append(
            _rows(
                cu,
                CREDIT_LEAF,
                np.full(len(cu), -1),
                CREDIT_COMPONENTS[cc],
                "policy_credit",
                amount.astype(np.int64),
                1000 + cc,
            )
        )
    # totals over components per (unit, capital, source) and the grand total per (unit, capital)
    key = pu * len(CAPITALS) + cap
    n_keys = n_units * len(CAPITALS)
    mask = np.zeros(n_keys, dtype=np.int64)
    np.bitwise_or.at(mask, key, 1 << BLOCK_PROJECT[pb])
    sums = np.zeros((3, n_keys), dtype=np.int64)
    for s in range(3):
        np.add.at(sums[s], key, by_source[s])
    keys = np.nonzero(mask)[0]
    ku, kc = keys // len(CAPITALS), keys % len(CAPITALS)
    lists = PROJECT_LISTS[mask[keys]]
    for s, source in enumerate(SOURCES):
        parts.append(
            _rows(
                ku,
                COMPONENT_TOTAL,
                kc,
                np.full(len(keys), "ALL", dtype=object),
                source,
                sums[s][keys],
                2000 + kc * 8 + s,
                lists,
            )
        )
    parts.append(
        _rows(
            ku,
            GRAND_TOTAL,
            kc,
            np.full(len(keys), "ALL", dtype=object),
            "total",
            sums[:, keys].sum(axis=0),
            2000 + kc * 8 + 3,
            lists,
        )
    )
    rows = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    order = np.lexsort((rows["order"], rows["unit"]))
    rows = {name: values[order] for name, values in rows.items()}
    capital_code = np.where(rows["capital"] >= 0, np.array(CAPITALS, dtype=object)[rows["capital"]], "unspecified")
    return Report(
        report_id,
        year,
        month,
        phase,
        rows["unit"],
        rows["kind"],
        rows["capital"],
        units.codes[rows["unit"]],
        units.levels[rows["unit"]],
        rows["component"],
        rows["source"],
        capital_code,
        rows["amount"],
        rows["sums_components"],
    )


def _rows(
    unit: np.ndarray,
    kind: int,
    capital: np.ndarray,
    component: np.ndarray,
    source: str,
    amount: np.ndarray,
    order: np.ndarray,
    sums_components: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    n = len(unit)
    return {
        "unit": unit,
        "kind": np.full(n, kind),
        "capital": capital,
        "component": component,
        "source": np.full(n, source, dtype=object),
        "amount": amount.astype(np.int64),
        "order": order,
        "sums_components": sums_components if sums_components is not None else np.full(n, None, dtype=object),
    }


def plant_error(report: Report, rng: np.random.Generator) -> tuple[int, int, list[tuple[str, int]]]:
    """Change one digit of one printed total, as a typo would; return the row index, the correct amount,
    and the (check_code, row index) of every comparison of audit.sum_checks it breaks."""
    is_total = np.isin(report.kind, (SOURCE_TOTAL, COMPONENT_TOTAL, GRAND_TOTAL))
    totals = np.nonzero(is_total & (report.amount >= 1000))[0]
    if len(totals) == 0:  # a small report whose totals are all below 1 million VND
        totals = np.nonzero(is_total)[0]
    row = int(rng.choice(totals))
    correct = int(report.amount[row])
    digits = list(str(correct // 1000))
    position = int(rng.integers(len(digits)))
    choices = [
        d for d in "0123456789" if d != digits[position] and not (position == 0 and d == "0" and len(digits) > 1)
    ]
    digits[position] = str(rng.choice(choices))
    report.amount[row] = int("".join(digits)) * 1000 + correct % 1000
    kind, unit, capital = report.kind[row], report.unit[row], report.capital[row]
    grand = int(np.nonzero((report.kind == GRAND_TOTAL) & (report.unit == unit) & (report.capital == capital))[0][0])
    broken = {
        SOURCE_TOTAL: [("funding_sources_to_total", row), ("components_to_total", grand)],
        COMPONENT_TOTAL: [("components_to_total", row), ("funding_sources_to_total", grand)],
        GRAND_TOTAL: [("funding_sources_to_total", row), ("components_to_total", row)],
    }[int(kind)]
    return row, correct, broken


def decimals(thousandths: np.ndarray) -> pa.Array:
    """Exact decimal128(18, 3) from integers of thousandths (no float on the way)."""
    values = np.ascontiguousarray(thousandths, dtype=np.int64)
    words = np.empty((len(values), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = values, values >> 63
    return pa.Array.from_buffers(pa.decimal128(18, 3), len(values), [None, pa.py_buffer(words.tobytes())])


def to_table(report: Report, first_row_number: int) -> pa.Table:
    """The report as line items of the feed contract (row numbers continue the file's)."""
    n = len(report)
    is_total = np.isin(report.kind, (SOURCE_TOTAL, COMPONENT_TOTAL, GRAND_TOTAL))
    sums_sources = np.where(np.isin(report.kind, (SOURCE_TOTAL, GRAND_TOTAL)), SUMS_SOURCES, None)
    return pa.table(
        {
            "report_id": pa.array(np.full(n, report.report_id, dtype=object), pa.string()),
            "row_number": pa.array(np.arange(first_row_number, first_row_number + n, dtype=np.int32)),
            "geography_code": pa.array(report.codes, pa.string()),
            "geography_level": pa.array(report.levels, pa.string()),
            "fiscal_year": pa.array(np.full(n, report.fiscal_year, dtype=np.int16)),
            "period_month": pa.nulls(n, pa.int8())
            if report.period_month is None
            else pa.array(np.full(n, report.period_month, dtype=np.int8)),
            "component_code": pa.array(report.component, pa.string()),
            "funding_source_code": pa.array(report.source, pa.string()),
            "capital_type_code": pa.array(report.capital_code, pa.string()),
            "phase_code": pa.array(np.full(n, report.phase, dtype=object), pa.string()),
            "amount_million_vnd": decimals(report.amount),
            "is_printed_total": pa.array(is_total),
            "sums_components": pa.array(report.sums_components, pa.string()),
            "sums_funding_sources": pa.array(sums_sources, pa.string()),
            "sums_capital_types": pa.nulls(n, pa.string()),
        }
    )
