"""Render the static HTML report from the published marts (no server, works offline).

One self-contained page: funding mix by province (stacked bars with shares), a map of total
funding by province (drawn from the provinces' coordinates, no map tiles), cross-province
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
import html
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal, format_percent

from ntp_poverty.common.child_process import in_child
from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.common.reporting import print_errors

SOURCE_COLOURS = {"central_budget": "#1f4e79", "local_budget": "#c55a11", "other_mobilized": "#70ad47"}
#: The names of the codes the charts show, as the seeds declare them (funding_sources.csv and
#: plan_phases.csv, loaded as core.dim_funding_source and core.dim_plan_phase): "name_vi (name_en)".
LABELS_SQL = """
select funding_source_code as code, name_vi || ' (' || lower(name_en) || ')' as label from core.dim_funding_source
union all
select phase_code, name_vi || ' (' || lower(name_en) || ')' from core.dim_plan_phase
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
    #: the label of each funding source and phase code (LABELS_SQL); a code without one shows as itself
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, code: str) -> str:
        """A funding source's or phase's label, as the seeds name it."""
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

#: Total funding per province, summed over the province's own plans for its latest planned year
#: (requested, else allocated), with the province's coordinates from dim_geography.
PROVINCE_FUNDING_SQL = """
with provinces as (
    select geography_code, name_vi, latitude, longitude from core.dim_geography
    where admin_level = 'province' and latitude is not null and (valid_to is null or valid_to >= date '2025-06-30')
),
planned as (
    select geography_code, fiscal_year, phase_code, sum(total_funding) as total_funding
    from marts.funding_mix
    where project_code = 'ALL' and admin_level = 'province' and phase_code in ('requested', 'allocated')
    group by all
),
latest as (
    select * from planned
    qualify row_number() over (partition by geography_code order by fiscal_year desc,
                               case phase_code when 'requested' then 0 else 1 end) = 1
)
select p.geography_code, p.name_vi, p.latitude, p.longitude, l.fiscal_year, l.phase_code, l.total_funding
from provinces as p left join latest as l using (geography_code)
order by p.geography_code
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


FAMILY_LABELS = {
    "employment": "Việc làm / Employment",
    "education": "Giáo dục / Education",
    "health": "Y tế / Health",
    "housing": "Nhà ở / Housing",
    "water_sanitation": "Nước và vệ sinh / Water and sanitation",
    "information": "Thông tin / Information",
    "programme": "Chương trình, giảm nghèo / Programme and poverty",
}
UNIT_LABELS = {"percent": "%", "percentage_points": "điểm % / points", "count": "số lượng / count"}


def funding_map(marts: Marts) -> go.Figure:
    """Provinces at their coordinates; planned provinces as circles sized by total funding.

    Drawn as a plain scatter of longitude and latitude (equal scale), so it needs no map tiles, no
    topojson and no network, and prints as it shows.
    """
    data = marts.province_funding
    fig = go.Figure()
    fig.add_scatter(
        x=data.longitude.astype(float),
        y=data.latitude.astype(float),
        mode="markers",
        marker={"size": 5, "color": "#c8c8c8"},
        name="tỉnh / province",
        hovertext=data.name_vi,
        hoverinfo="text",
    )
    planned = data[data.total_funding.notna()]
    amounts = planned.total_funding.astype(float)
    sizes = 14 + 46 * (amounts / amounts.max()) ** 0.5 if len(planned) else []
    fig.add_scatter(
        x=planned.longitude.astype(float),
        y=planned.latitude.astype(float),
        mode="markers+text",
        marker={"size": sizes, "color": "#1f4e79", "opacity": 0.75, "line": {"color": "white"}},
        text=[f"{n}<br>{vi_number(a, 0)}" for n, a in zip(planned.name_vi, amounts)],
        textposition=["middle right" if i % 2 == 0 else "middle left" for i in range(len(planned))],
        name="tổng vốn / total funding",
        hovertext=[
            f"{n} {y} ({marts.label(ph)}): {vnd(a, 0)}"
            for n, y, ph, a in zip(planned.name_vi, planned.fiscal_year, planned.phase_code, amounts)
        ],
        hoverinfo="text",
    )
    fig = _layout(
        fig,
        "Tổng vốn theo tỉnh, năm kế hoạch gần nhất / Total funding by province, latest plan year "
        "(triệu đồng, million VND)",
        height=760,
    )
    fig.update_xaxes(
        title="kinh độ / longitude",
        showgrid=False,
        zeroline=False,
        tickformat=".0f",
        range=[101.0, 111.0],
        constrain="domain",
    )
    fig.update_yaxes(
        title="vĩ độ / latitude", scaleanchor="x", scaleratio=1, showgrid=False, zeroline=False, tickformat=".0f"
    )
    return fig


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
            f"{FAMILY_LABELS.get(family, family)} — {UNIT_LABELS.get(unit, unit)}",
            height=max(260, 60 + 26 * len(rows)),
        )
        fig.update_layout(barmode="overlay", margin={"l": 420, "r": 20, "t": 60, "b": 80})
        fig.update_yaxes(tickformat=None, autorange="reversed")
        fig.update_xaxes(tickformat=",.0f" if unit == "count" else ",.1f")
        charts.append((f"targets-{family}-{unit}".replace("_", "-"), fig))
    return charts


COMPARATORS = {"approximately": "≈", "range": ""}


def _vi_decimal_text(text: str) -> str:
    """Turn the mart's plain numbers ("1.5") into Vietnamese ones ("1,5") inside a label."""
    return text.replace(".", ",")


def targets_table(marts: Marts) -> str:
    """Targets side by side; conflicting values marked."""
    rows = []
    for t in marts.targets.itertuples():
        value = f"{COMPARATORS.get(t.comparator, t.comparator)} {vi_number(t.low, 2)}" + (
            f"–{vi_number(t.high, 2)}" if t.comparator == "range" else ""
        )
        conflict = (
            (
                f'<span class="conflict">⚠ {html.escape(_vi_decimal_text(str(t.conflicting_values)))} '
                f"({html.escape(str(t.conflicting_document_ids))})</span>"
            )
            if t.has_conflict
            else ""
        )
        rows.append(
            f'<tr class="{"has-conflict" if t.has_conflict else ""}"><td>{html.escape(t.indicator_name_vi)}'
            f"<br><small>{html.escape(t.indicator_name_en)}</small></td><td>{t.geography_code}</td>"
            f"<td>{t.target_year}</td><td>{html.escape(value)} {html.escape(t.unit)}</td>"
            f"<td>{html.escape(t.document_id)}</td><td>{conflict}</td></tr>"
        )
    return (
        '<table id="targets"><thead><tr><th>Chỉ tiêu / Indicator</th><th>Địa bàn / Geo</th><th>Năm / Year</th>'
        "<th>Mục tiêu / Target</th><th>Văn bản / Document</th><th>Xung đột / Conflict</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def printed_text(text: str | None) -> str:
    """The printed fragment, quoted; a feed's row prints none (its file and line say where it is)."""
    if text is None or pd.isna(text):
        return "<small>(dòng của tệp dữ liệu / a feed row)</small>"
    return f"<q>{html.escape(text)}</q>"


def accounting_table(marts: Marts) -> str:
    """Amounts per reason of the accounting: counted in the marts, or why not."""
    rows = [
        f"<tr><td><code>{html.escape(a.reason_code)}</code></td><td>{html.escape(a.description or '')}</td>"
        f"<td>{'có / yes' if a.is_in_marts else 'không / no'}</td><td>{format_decimal(a.n_amounts, locale='vi')}</td>"
        f"<td>{vnd(a.amount_million_vnd, 0)}</td></tr>"
        for a in marts.accounting.itertuples()
    ]
    return (
        '<table id="accounting"><thead><tr><th>Lý do / Reason</th><th>Ý nghĩa / Meaning</th>'
        "<th>Tính trong các bảng tổng hợp / In the marts</th><th>Số khoản / Amounts</th>"
        "<th>Tổng / Sum (triệu đồng)</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def findings_table(marts: Marts) -> str:
    """Data-quality findings with their source lines."""
    rows = []
    for f in marts.findings.itertuples():
        status = "đã ghi nhận / acknowledged" if f.is_acknowledged else "CHƯA GHI NHẬN / NOT ACKNOWLEDGED"
        rows.append(
            f"<tr><td>{html.escape(f.document_id)}<br><small>{html.escape(f.source_file)}, dòng / line "
            f"{f.source_line}</small></td><td>{printed_text(f.source_text)}</td>"
            f"<td>{html.escape(f.check_code)}<br><small>{html.escape(f.classification)}</small></td>"
            f"<td>{vnd(f.reported_amount_million_vnd, 0)}</td><td>{vnd(f.computed_amount_million_vnd, 0)}</td>"
            f"<td>{vnd(f.difference_million_vnd, 0)}</td><td>{status}</td></tr>"
        )
    return (
        '<table id="findings"><thead><tr><th>Văn bản, dòng / Document, line</th><th>Nguyên văn / As printed</th>'
        "<th>Kiểm tra / Check</th><th>In / Printed</th><th>Cộng các phần / Sum of parts</th>"
        "<th>Chênh lệch / Difference</th><th>Trạng thái / Status</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


CSS = """
body { font-family: 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; margin: 24px; color: #222; max-width: 1200px; }
h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 2px solid #1f4e79; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
tr.has-conflict td { background: #fff4e5; } .conflict { color: #b34700; font-weight: 600; }
.chart { page-break-inside: avoid; break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
"""


def scope_note(marts: Marts) -> str:
    """What the charts by geography leave to the marts, when they draw the provinces only."""
    if not marts.geographies_left_out:
        return ""
    n = format_decimal(marts.geographies_left_out, locale="vi")
    return (
        f"<p>Biểu đồ cơ cấu nguồn vốn và thay đổi so với năm trước chỉ vẽ số liệu cấp tỉnh; {n} địa bàn "
        "khác (huyện, xã) có trong <code>marts.funding_mix</code> và <code>marts.yoy_change</code>. / The "
        f"funding-mix and year-over-year charts draw the provinces' own figures only; {n} other geographies "
        "(districts, communes) are in the marts.</p>"
    )


def render(marts: Marts) -> str:
    """The whole report as one HTML page."""
    target_charts = target_family_charts(marts)
    figures = [
        ("funding-mix", funding_mix_chart(marts)),
        ("funding-map", funding_map(marts)),
        ("cross-province", cross_province_chart(marts)),
        ("yoy-change", yoy_chart(marts)),
        *target_charts,
    ]
    charts = {}
    for index, (div_id, fig) in enumerate(figures):
        charts[div_id] = fig.to_html(
            full_html=False,
            include_plotlyjs=index == 0,
            div_id=div_id,
            config={"displaylogo": False, "responsive": True},
        )
    generated = datetime.now(UTC).strftime("%d/%m/%Y %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo CTMTQG giảm nghèo bền vững / NTP poverty report</title>
<style>{CSS}</style></head><body>
<h1>Kế hoạch Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025<br>
<small>Plans of the National Target Program for Sustainable Poverty Reduction 2021–2025</small></h1>
<p>Dữ liệu / Data: kho dữ liệu ntp_poverty, lần làm mới / refresh <code>{html.escape(marts.run_id)}</code>;
lập lúc / generated {generated}. Đơn vị / unit: triệu đồng (million VND).</p>
<h2>1. Cơ cấu nguồn vốn / Funding mix</h2>{scope_note(marts)}<div class="chart">{charts["funding-mix"]}</div>
<div class="chart">{charts["funding-map"]}</div>
<h2>2. So sánh giữa các tỉnh theo dự án / Cross-province comparison by project</h2>
<div class="chart">{charts["cross-province"]}</div>
<h2>3. Thay đổi so với năm trước / Year-over-year change</h2><div class="chart">{charts["yoy-change"]}</div>
<h2>4. Mục tiêu / Targets (⚠ = xung đột giữa các văn bản / conflict between documents)</h2>
<p>Mỗi biểu đồ một nhóm chỉ tiêu: cột = mục tiêu (thanh sai số = khoảng), ◆ = kết quả đã báo cáo.
One chart per indicator family: bar = target (error bar = range), ◆ = reported result.</p>
{"".join(f'<div class="chart">{charts[div_id]}</div>' for div_id, _ in target_charts)}
<h3>Bảng đầy đủ / Full table</h3>{targets_table(marts)}
<h2>5. Kiểm tra số liệu / Data-quality findings</h2>{findings_table(marts)}
<h2>6. Mọi khoản tiền được tính ở đâu / Where every amount is counted</h2>
<p>Mỗi khoản tiền in trong văn bản hoặc báo cáo được tính trong các bảng tổng hợp, hoặc có lý do
(<code>audit.amount_accounting</code>). Each printed or reported amount is counted in the marts, or has
its reason. Tổng của các lý do khác nhau không cộng được với nhau / sums of different reasons do not add
up to anything.</p>{accounting_table(marts)}
</body></html>
"""


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
