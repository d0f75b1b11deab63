"""The report's map: Vietnam drawn from the coordinates of its ~10,000 communes, coloured by province.

No map tiles, topojson or scripts are fetched: every commune of the legacy structure (the units the
2021–2025 plans were made for, ``core.dim_geography.is_in_legacy_structure``) is a dot at its
coordinates (seed geographies, from ``vietnamadminunits``), so the dots draw the country. A commune
takes the colour of its province's value of the measure chosen in the menu (total funding of the
province's latest plan year, or the share of central or local budget in it); the communes of
provinces without a plan stay grey. Each province is labelled with its name at its own coordinates.
Longitude and latitude are drawn at equal scale, so the page prints as it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

#: The communes of the legacy structure, with their province (the dots that draw the country).
UNITS_SQL = """
select g.geography_code, g.name_vi, g.province_code, p.name_vi as province_name_vi, g.latitude, g.longitude
from core.dim_geography as g
inner join core.dim_geography as p on p.geography_code = g.province_code
where g.admin_level = 'commune' and g.is_in_legacy_structure and g.latitude is not null
order by g.geography_code
"""

#: Per province of the legacy structure: its own coordinates (the label) and its plan of the latest
#: planned year (requested, else allocated) for the whole programme: total funding and the shares of
#: central and local budget, as marts.funding_mix gives them (never added across phases or years).
PROVINCE_FUNDING_SQL = """
with provinces as (
    select geography_code, name_vi, latitude, longitude from core.dim_geography
    where admin_level = 'province' and is_in_legacy_structure and latitude is not null
),
latest as (
    select geography_code, fiscal_year, phase_code, total_funding, share_central, share_local
    from marts.funding_mix
    where project_code = 'ALL' and admin_level = 'province' and phase_code in ('requested', 'allocated')
    qualify row_number() over (partition by geography_code order by fiscal_year desc,
                               case phase_code when 'requested' then 0 else 1 end) = 1
)
select p.geography_code, p.name_vi, p.latitude, p.longitude, l.fiscal_year, l.phase_code, l.total_funding,
       l.share_central, l.share_local
from provinces as p left join latest as l using (geography_code)
order by p.geography_code
"""


@dataclass(frozen=True)
class Measure:
    """One choice of the map's menu: a column of PROVINCE_FUNDING_SQL and how it is shown."""

    column: str
    label: str
    is_share: bool
    #: light to dark; its lightest colour stays distinct from the grey of the communes without a plan
    colorscale: tuple[tuple[float, str], ...]


MEASURES = (
    Measure("total_funding", "Tổng vốn / total funding (triệu đồng)", False, ((0, "#9ecae1"), (1, "#08306b"))),
    Measure("share_central", "Tỷ trọng NSTW / central budget share", True, ((0, "#bcbddc"), (1, "#3f007d"))),
    Measure("share_local", "Tỷ trọng NSĐP / local budget share", True, ((0, "#fdae6b"), (1, "#7f2704"))),
)


def _shown(value: float, measure: Measure, number: Callable[..., str], percent: Callable[..., str]) -> str:
    return percent(value) if measure.is_share else number(value, 0)


def unit_map(
    units: pd.DataFrame,
    provinces: pd.DataFrame,
    phase_label: Callable[[str], str],
    number: Callable[..., str],
    percent: Callable[..., str],
) -> go.Figure:
    """The map figure: grey communes, the planned provinces' communes coloured by the chosen measure
    (a menu), province names. ``number``/``percent`` format values the Vietnamese way."""
    planned = provinces[provinces.total_funding.notna()].set_index("geography_code")
    coloured = units[units.province_code.isin(planned.index)]
    fig = go.Figure()
    fig.add_scatter(
        x=units.longitude.astype(float),
        y=units.latitude.astype(float),
        mode="markers",
        marker={"size": 3, "color": "#d0d0d0"},
        name="xã, chưa có kế hoạch / commune, no plan",
        hovertext=[f"{n} ({p})" for n, p in zip(units.name_vi, units.province_name_vi)],
        hoverinfo="text",
    )
    choices = []
    for measure in MEASURES:
        values = coloured.province_code.map(planned[measure.column].astype(float))
        shown = {
            code: _shown(float(v), measure, number, percent)
            for code, v in planned[measure.column].items()
            if pd.notna(v)
        }
        hover = [
            f"{n} ({p}): {shown.get(code, '—')}<br>{planned.fiscal_year[code]}, {phase_label(planned.phase_code[code])}"
            for n, p, code in zip(coloured.name_vi, coloured.province_name_vi, coloured.province_code)
        ]
        choices.append((measure, values, hover))
    first, values, hover = choices[0]
    fig.add_scatter(
        x=coloured.longitude.astype(float),
        y=coloured.latitude.astype(float),
        mode="markers",
        marker={
            "size": 4,
            "color": values,
            "colorscale": first.colorscale,
            "cmin": 0,
            "showscale": True,
            "colorbar": {"title": {"text": first.label}, "tickformat": ",.0f", "len": 0.6},
        },
        name="xã, theo tỉnh / commune, by its province",
        hovertext=hover,
        hoverinfo="text",
    )
    fig.add_scatter(
        x=provinces.longitude.astype(float),
        y=provinces.latitude.astype(float),
        mode="text",
        text=provinces.name_vi,
        textfont={"size": 9, "color": "#222"},
        name="tỉnh / province",
        hoverinfo="skip",
    )
    buttons = [
        {
            "label": measure.label,
            "method": "restyle",
            "args": [
                {
                    "marker.color": [values.tolist()],
                    "marker.colorscale": [[list(stop) for stop in measure.colorscale]],  # one per trace
                    "marker.colorbar.title.text": measure.label,
                    "marker.colorbar.tickformat": ".0%" if measure.is_share else ",.0f",
                    "hovertext": [hover],
                },
                [1],
            ],
        }
        for measure, values, hover in choices
    ]
    fig.update_layout(
        title={
            "text": "Xã tô màu theo tỉnh, năm kế hoạch gần nhất / Communes by their province's latest plan",
            "x": 0,
        },
        height=900,
        template="plotly_white",
        font={"family": "Noto Sans, DejaVu Sans, Arial, sans-serif", "size": 13},
        legend={"orientation": "h", "y": -0.06},
        margin={"l": 40, "r": 20, "t": 90, "b": 60},
        separators=",.",
        updatemenus=[
            {"type": "dropdown", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "buttons": buttons}
        ],
    )
    fig.update_xaxes(visible=False, range=[101.8, 110.2], constrain="domain")  # the mainland and its islands
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1, range=[8.2, 23.7])
    return fig
