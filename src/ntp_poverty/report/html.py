"""Render the static HTML report from the published marts (no server, works offline).

One self-contained page, rendered from the Jinja2 template ``templates/report.html`` (this module
computes the figures and formats the values; the page's text and tables are in the template):
funding mix by province (stacked bars with shares), a map of Vietnam drawn from its communes'
coordinates and coloured by province (:mod:`ntp_poverty.report.unit_map`, no map tiles), cross-province
comparison by project, year-over-year changes, a chart of targets per indicator family (target
beside the reported result, conflicts marked) above the full table of targets, and the
data-quality findings with their source lines. Labels are Vietnamese (with diacritics) with
English alongside; numbers are formatted the Vietnamese way (1.234,5 triệu đồng) with the English
form beside them. Plotly's JavaScript is embedded once, so the page needs no network.

Usage: ``ntp report [WAREHOUSE] [OUTPUT_HTML]``
(defaults: $NTP_WAREHOUSE, and report/index.html beside it).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ntp_poverty.common.child_process import in_child
from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.common.reporting import print_errors
from ntp_poverty.report.unit_map import PROVINCE_FUNDING_SQL, UNITS_SQL, unit_map

SOURCE_COLOURS = {"central_budget": "#1f4e79", "local_budget": "#c55a11", "other_mobilized": "#70ad47"}
#: The names of the codes the charts show, as the seeds declare them (core.dim_code_name: funding
#: sources, phases, indicator families (Decree 07 dimensions) and measure units): "name_vi (name_en)".
LABELS_SQL = """
select code, name_vi || ' (' || lower(name_en) || ')' as label from core.dim_code_name
where code_set in ('funding_source', 'phase', 'indicator_family', 'measure_unit')
"""


def vnd(value: float | Decimal | None, digits: int = 1) -> str:
    """``1.234,5 triệu đồng (1,234.5 million VND)``; an em dash for missing values."""
    if value is None or pd.isna(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    vi = format_decimal(value, format=pattern, locale="vi")
    en = format_decimal(value, format=pattern, locale="en")
    return f"{vi} triệu đồng ({en} million VND)"


def vi_number(value: float | Decimal, digits: int = 1) -> str:
    """A number in Vietnamese format only (for chart labels)."""
    return format_decimal(value, format="#,##0" + ("." + "#" * digits if digits else ""), locale="vi")


def vi_percent(share: float | None) -> str:
    """``12,3%``; an em dash for missing values."""
    if share is None or pd.isna(share):
        return "—"
    return format_percent(share, format="#,##0.0%", locale="vi")


@dataclass
class Marts:
    """The published marts the report reads."""

    funding_mix: pd.DataFrame
    cross_province: pd.DataFrame
    yoy: pd.DataFrame
    targets: pd.DataFrame
    attainment: pd.DataFrame
    province_funding: pd.DataFrame
    findings: pd.DataFrame
    run_id: str
    geographies_left_out: int = 0  # of the charts by geography (CHART_GEOGRAPHIES)
    #: amounts per reason of audit.amount_accounting (ACCOUNTING_SQL)
    accounting: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the label of each funding source, phase, indicator family and measure unit code (LABELS_SQL); a code
    #: without one shows as itself
    labels: dict[str, str] = field(default_factory=dict)
    #: the communes that draw the map (unit_map.UNITS_SQL)
    units: pd.DataFrame = field(default_factory=pd.DataFrame)

    def label(self, code: str) -> str:
        """A funding source's, phase's, indicator family's or unit's label, as the seeds name it."""
        return self.labels.get(code, code)


#: Each target once per year it is due in, with its family (Decree 07 dimension), the reported result
#: where one exists, and whether another document prints a conflicting value.
ATTAINMENT_SQL = """
select a.*, coalesce(i.decree_07_dimension_code, 'programme') as family, i.name_vi as indicator_name_vi,
       i.name_en as indicator_name_en, coalesce(c.has_conflict, false) as has_conflict
from marts.target_attainment as a
inner join core.dim_indicator as i using (indicator_code)
left join marts.target_comparison as c using (target_id, target_year)
where a.attainment_status != 'not_due'
order by family, a.measure_unit, a.indicator_code, a.geography_code, a.target_year
"""

#: Amounts of the facts per reason of audit.amount_accounting, with the reason's description (seed
#: accounting_reasons): where every amount is counted, or why it is not.
ACCOUNTING_SQL = """
select a.reason_code, r.description, r.is_in_marts, count(*) as n_amounts,
       sum(a.amount_million_vnd) as amount_million_vnd
from audit.amount_accounting as a
left join staging.stg_reference__accounting_reasons as r using (reason_code)
group by all
order by r.is_in_marts desc nulls last, a.reason_code
"""

#: The charts by geography (funding mix, year-over-year change) draw every geography when the marts
#: hold at most this many; at national scale (thousands of districts and communes: hundreds of
#: thousands of bars, a page of tens of MB that no one can read) they draw the provinces' own
#: figures and say how many geographies are left to the marts.
CHART_GEOGRAPHIES = 40
PROVINCES_ONLY = "geography_code in (select geography_code from core.dim_geography where admin_level = 'province')"


def chart_scope(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """The filter on ``geography_code`` of the charts by geography, and how many geographies it leaves out."""
    total, provinces = con.execute(
        "select count(distinct geography_code), count(distinct geography_code) filter (where admin_level = "
        "'province') from marts.funding_mix"
    ).fetchall()[0]
    if total <= CHART_GEOGRAPHIES:
        return "true", 0
    return PROVINCES_ONLY, total - provinces


def write_report(warehouse: Path, path: Path) -> None:
    """Render the report of ``warehouse`` into ``path``, reading the marts in a child process
    (ntp_poverty.common.child_process): their memory leaves with it."""
    in_child(_write_report, warehouse, path)


def _write_report(warehouse: Path, path: Path) -> None:
    path.write_text(render(read_marts(warehouse)), encoding="utf-8")


def read_marts(warehouse: Path) -> Marts:
    """Read the marts read-only from the published file."""
    with connect(warehouse) as con:

        def frame(sql: str) -> pd.DataFrame:
            return con.execute(sql).df()

        scope, left_out = chart_scope(con)
        return Marts(
            funding_mix=frame(
                f"select * from marts.funding_mix where project_code = 'ALL' and {scope} "
                "order by geography_code, fiscal_year, phase_code"
            ),
            cross_province=frame(
                "select * from marts.cross_province_comparison where component_code like 'DA_' "
                "order by fiscal_year, phase_code, component_code, geography_code"
            ),
            yoy=frame(
                "select yoy.*, geography.name_vi as geography_name_vi from marts.yoy_change as yoy "
                "inner join core.dim_geography as geography using (geography_code) "
                "where yoy.component_code = 'ALL' and yoy.funding_source_code = 'ALL' "
                f"and yoy.prior_year_amount is not null and {scope} order by geography_code, fiscal_year"
            ),
            targets=frame(
                "select t.*, i.name_vi as indicator_name_vi, i.name_en as indicator_name_en "
                "from marts.target_comparison as t inner join core.dim_indicator as i using (indicator_code) "
                "order by has_conflict desc, geography_code, target_year, indicator_code"
            ),
            attainment=frame(ATTAINMENT_SQL),
            province_funding=frame(PROVINCE_FUNDING_SQL),
            units=frame(UNITS_SQL),
            findings=frame("select * from marts.data_quality_findings order by document_id, source_line, check_code"),
            run_id=con.execute("select run_id from audit.warehouse_build").fetchone()[0],
            geographies_left_out=left_out,
            accounting=frame(ACCOUNTING_SQL),
            labels=dict(con.execute(LABELS_SQL).fetchall()),
        )


def _layout(fig: go.Figure, title: str, height: int = 460) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0},
        height=height,
        barmode="stack",
        template="plotly_white",
        font={"family": "Noto Sans, DejaVu Sans, Arial, sans-serif", "size": 13},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 70, "r": 20, "t": 70, "b": 120},
        separators=",.",
    )
    fig.update_yaxes(tickformat=",.0f")  # 250.000 (Vietnamese grouping), not 250k
    return fig


def funding_mix_chart(marts: Marts) -> go.Figure:
    """Horizontal stacked bars of central / local / other funding, one row per geography and year,
    sorted by total funding, one phase at a time (a button per phase; phases are never added)."""
    data = marts.funding_mix
    phases = list(dict.fromkeys(data.phase_code))
    fig = go.Figure()
    for index, phase in enumerate(phases):
        rows = data[data.phase_code == phase].sort_values("total_funding", key=lambda t: t.astype(float))
        labels = [f"{g} {y}" for g, y in zip(rows.geography_name_vi, rows.fiscal_year)]
        for source, share in (
            ("central_budget", "share_central"),
            ("local_budget", "share_local"),
            ("other_mobilized", "share_other"),
        ):
            values = rows[source].astype(float)
            fig.add_bar(
                y=labels,
                x=values,
                orientation="h",
                name=marts.label(source),
                legendgroup=source,
                showlegend=index == 0,
                visible=index == 0,
                marker_color=SOURCE_COLOURS[source],
                text=[vi_percent(v) for v in rows[share]],
                textposition="inside",
                hovertext=[vnd(v) for v in values],
                hoverinfo="text+name",
            )
    per_phase = 3
    buttons = [
        {
            "label": marts.label(phase),
            "method": "update",
            "args": [{"visible": [i // per_phase == index for i in range(per_phase * len(phases))]}],
        }
        for index, phase in enumerate(phases)
    ]
    n_rows = max([int((data.phase_code == phase).sum()) for phase in phases] or [1])
    fig.update_layout(
        barmode="stack",
        # a menu above the plot (a row of buttons there pushed the plot aside)
        updatemenus=[
            {"type": "dropdown", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "buttons": buttons}
        ],
    )
    fig = _layout(
        fig,
        "Cơ cấu nguồn vốn theo địa phương, từng giai đoạn / Funding mix by geography, one phase at a time "
        "(triệu đồng, million VND)",
        height=max(460, 140 + 22 * n_rows),
    )
    fig.update_xaxes(tickformat=",.0f")  # the amounts run along x here
    fig.update_yaxes(tickformat="")  # the geographies' names run along y
    return fig.update_layout(
        margin={"l": 220},  # room for the geographies' names
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"},
    )


def cross_province_chart(marts: Marts) -> go.Figure:
    """Grouped bars: amount per project for each province, 2024 requests."""
    data = marts.cross_province
    data = data[(data.fiscal_year == 2024) & (data.phase_code == "requested") & (data.admin_level == "province")]
    fig = go.Figure()
    for geography, rows in data.groupby("geography_name_vi", sort=True):
        fig.add_bar(
            x=rows.component_code,
            y=rows.amount.astype(float),
            name=geography,
            text=[f"#{r}" for r in rows.rank_in_admin_level],
            textposition="outside",
            hovertext=[
                f"{vnd(a)}<br>tỷ trọng / share {vi_percent(s)}"
                for a, s in zip(rows.amount, rows.share_of_geography_total)
            ],
            hoverinfo="text+name",
        )
    fig = _layout(
        fig,
        "So sánh giữa các tỉnh theo dự án, đề xuất 2024 / Cross-province comparison by project, "
        "2024 requests (#thứ hạng / rank)",
    )
    fig.update_layout(barmode="group")
    return fig


def yoy_chart(marts: Marts) -> go.Figure:
    """Year-over-year change of total funding; changes across phases are marked."""
    data = marts.yoy
    labels = [f"{g} {y}" for g, y in zip(data.geography_name_vi, data.fiscal_year)]
    colours = ["#2e75b6" if like else "#bfbfbf" for like in data.is_like_for_like]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=data.abs_change.astype(float),
            marker_color=colours,
            text=[
                vi_percent(p) if like else "khác giai đoạn / other phase"
                for p, like in zip(data["pct_change"], data.is_like_for_like)
            ],
            textposition="outside",
            hovertext=[
                f"{vnd(a)} ← {vnd(p)}<br>{marts.label(ph)} ← {marts.label(pp)}"
                for a, p, ph, pp in zip(data.amount, data.prior_year_amount, data.phase_code, data.prior_phase_code)
            ],
            hoverinfo="text",
            name="thay đổi / change",
        )
    )
    return _layout(
        fig,
        "Thay đổi so với năm trước / Year-over-year change of total funding "
        "(xám: khác giai đoạn / grey: across phases)",
    )


def funding_map(marts: Marts) -> go.Figure:
    """Vietnam drawn from its communes' coordinates, coloured by province (ntp_poverty.report.unit_map)."""
    return unit_map(marts.units, marts.province_funding, marts.label, vi_number, vi_percent)


def target_family_charts(marts: Marts) -> list[tuple[str, go.Figure]]:
    """One chart per indicator family and unit: each target as a bar (its low end, the range as an
    error bar), the reported result beside it as a dot, conflicts between documents marked ⚠."""
    charts = []
    for (family, unit), rows in marts.attainment.groupby(["family", "measure_unit"], sort=True):
        labels = [
            f"{'⚠ ' if c else ''}{n} · {g} · {y}"
            for n, g, y, c in zip(rows.indicator_name_vi, rows.geography_code, rows.target_year, rows.has_conflict)
        ]
        low, high = rows.target_low.astype(float), rows.target_high.astype(float)
        fig = go.Figure()
        fig.add_bar(
            y=labels,
            x=low,
            orientation="h",
            name="mục tiêu / target",
            marker={
                "color": ["#f4b183" if c else "#9dc3e6" for c in rows.has_conflict],
                "line": {"color": ["#b34700" if c else "#2e75b6" for c in rows.has_conflict], "width": 1.5},
            },
            error_x={"type": "data", "symmetric": False, "array": (high - low).tolist(), "arrayminus": [0] * len(rows)},
            hovertext=[f"{cmp} {vi_number(a, 2)}" for cmp, a in zip(rows.comparator, low)],
            hoverinfo="text",
        )
        with_result = rows[rows.result_value.notna()]
        if len(with_result):
            result_labels = [labels[i] for i, has in enumerate(rows.result_value.notna()) if has]
            fig.add_scatter(
                y=result_labels,
                x=with_result.result_value.astype(float),
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": "#c00000"},
                name="kết quả / reported result",
                hovertext=[
                    f"{s}: {vi_number(v, 2)}" for s, v in zip(with_result.attainment_status, with_result.result_value)
                ],
                hoverinfo="text",
            )
        fig = _layout(
            fig,
            f"{marts.label(family)} — {marts.label(unit)}",
            height=max(260, 60 + 26 * len(rows)),
        )
        fig.update_layout(barmode="overlay", margin={"l": 420, "r": 20, "t": 60, "b": 80})
        fig.update_yaxes(tickformat=None, autorange="reversed")
        fig.update_xaxes(tickformat=",.0f" if unit == "count" else ",.1f")
        charts.append((f"targets-{family}-{unit}".replace("_", "-"), fig))
    return charts


COMPARATORS = {"approximately": "≈", "range": ""}
TEMPLATES = Environment(
    loader=PackageLoader("ntp_poverty.report", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def _vi_decimal_text(text: str) -> str:
    """Turn the mart's plain numbers ("1.5") into Vietnamese ones ("1,5") inside a label."""
    return text.replace(".", ",")


def printed_text(text: str | None) -> Markup:
    """The printed fragment, quoted; a feed's row prints none (its file and line say where it is)."""
    if text is None or pd.isna(text):
        return Markup("<small>(dòng của tệp dữ liệu / a feed row)</small>")
    return Markup("<q>{}</q>").format(text)


TEMPLATES.filters["printed_text"] = printed_text


def target_rows(marts: Marts) -> list[dict[str, object]]:
    """Targets side by side, values the Vietnamese way; conflicting values marked."""
    rows = []
    for t in marts.targets.itertuples():
        value = f"{COMPARATORS.get(t.comparator, t.comparator)} {vi_number(t.low, 2)}" + (
            f"–{vi_number(t.high, 2)}" if t.comparator == "range" else ""
        )
        rows.append(
            {
                **t._asdict(),
                "value": value,
                "conflicting_values": _vi_decimal_text(str(t.conflicting_values)) if t.has_conflict else "",
            }
        )
    return rows


def finding_rows(marts: Marts) -> list[dict[str, object]]:
    """Data-quality findings with their source lines, amounts the Vietnamese way."""
    return [
        {
            **f._asdict(),
            "reported": vnd(f.reported_amount_million_vnd, 0),
            "computed": vnd(f.computed_amount_million_vnd, 0),
            "difference": vnd(f.difference_million_vnd, 0),
        }
        for f in marts.findings.itertuples()
    ]


def accounting_rows(marts: Marts) -> list[dict[str, object]]:
    """Amounts per reason of the accounting: counted in the marts, or why not."""
    return [
        {
            **a._asdict(),
            "description": a.description or "",
            "n_amounts": format_decimal(a.n_amounts, locale="vi"),
            "amount": vnd(a.amount_million_vnd, 0),
        }
        for a in marts.accounting.itertuples()
    ]


def scope_note(marts: Marts) -> Markup:
    """What the charts by geography leave to the marts, when they draw the provinces only."""
    if not marts.geographies_left_out:
        return Markup("")
    n = format_decimal(marts.geographies_left_out, locale="vi")
    return Markup(
        "<p>Biểu đồ cơ cấu nguồn vốn và thay đổi so với năm trước chỉ vẽ số liệu cấp tỉnh; {n} địa bàn "
        "khác (huyện, xã) có trong <code>marts.funding_mix</code> và <code>marts.yoy_change</code>. / The "
        "funding-mix and year-over-year charts draw the provinces' own figures only; {n} other geographies "
        "(districts, communes) are in the marts.</p>"
    ).format(n=n)


def render(marts: Marts) -> str:
    """The whole report as one HTML page, from the template ``templates/report.html``."""
    target_charts = target_family_charts(marts)
    figures = [
        ("funding-mix", funding_mix_chart(marts)),
        ("funding-map", funding_map(marts)),
        ("cross-province", cross_province_chart(marts)),
        ("yoy-change", yoy_chart(marts)),
        *target_charts,
    ]
    charts = {
        div_id: Markup(
            fig.to_html(
                full_html=False,
                include_plotlyjs=index == 0,  # Plotly's JavaScript once, embedded: the page needs no network
                div_id=div_id,
                config={"displaylogo": False, "responsive": True},
            )
        )
        for index, (div_id, fig) in enumerate(figures)
    }
    return TEMPLATES.get_template("report.html").render(
        run_id=marts.run_id,
        generated=datetime.now(UTC).strftime("%d/%m/%Y %H:%M UTC"),
        scope_note=scope_note(marts),
        charts=charts,
        target_chart_ids=[div_id for div_id, _ in target_charts],
        targets=target_rows(marts),
        findings=finding_rows(marts),
        accounting=accounting_rows(marts),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp report [WAREHOUSE [OUTPUT_HTML]]``."""
    parser.add_argument(
        "warehouse",
        nargs="?",
        default=os.environ.get("NTP_WAREHOUSE", "warehouse/ntp_poverty.duckdb"),
        help="DuckDB file (default: $NTP_WAREHOUSE or warehouse/ntp_poverty.duckdb)",
    )
    # the published report belongs to its sealed release; a re-render goes beside the build output
    parser.add_argument(
        "output",
        nargs="?",
        default=str(Path("target") / "report" / "index.html"),
        help="HTML file to write (default: target/report/index.html)",
    )


def run(args: argparse.Namespace) -> int:
    """Render the report; exit 1 if the warehouse does not exist."""
    warehouse, output = Path(args.warehouse), Path(args.output)
    if not warehouse.exists():
        print_errors([f"{warehouse} does not exist; run `make build` first"])
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(read_marts(warehouse)), encoding="utf-8")
    print(f"report written to {output}")
    return 0
