"""The workbook's question sheets: the first thing a budget analyst asks, answered from the marts.

The mart sheets hold every row of every mart, which is what a reader filters; a question sheet is
laid out for one question and can be added up down its columns:

* **Vốn theo tỉnh và dự án** (``province_projects``): per province, year and project (DA1–DA7),
  total funding at each phase side by side (one column per phase of ``core.dim_plan_phase``, in its
  order and with its Vietnamese name) and the disbursement rate (disbursed ÷ allocated, as an
  Excel formula on the row, so the reader sees how it is computed). It reads ``marts.funding_mix``
  at the provinces' own level and the projects only, never ``ALL`` or a sub-project, so every column
  is one phase at one level of the component tree and one admin level: its totals row (SUBTOTAL
  over the rows the filter shows) is meaningful, and the rate's total is the ratio of the totals.
"""

from __future__ import annotations

from typing import Any

import duckdb
from xlsxwriter.utility import xl_col_to_name

from ntp_poverty.publish.excel_tables import (
    LINE_HEIGHT,
    Table,
    TotalsRow,
    header_rows,
    print_setup,
    wrapped_lines,
    write_note,
)

SHEET = "Vốn theo tỉnh và dự án"
MART = "funding_mix"  # the mart the question sheet reads (no sheet without it)
TABLE = "province_projects"
#: The phases the disbursement rate divides (core.dim_plan_phase codes): disbursed ÷ allocated.
RATE_PHASES = ("disbursed", "allocated")
NOTE = (
    "Mỗi cột tiền là một giai đoạn, chỉ cấp tỉnh và các dự án DA1–DA7 (không có ALL, không có tiểu dự án), nên "
    "cộng theo cột được; dòng tổng cộng các dòng đang lọc. Không cộng các cột giai đoạn với nhau. / Each amount "
    "column is one phase, provinces' own plans and projects DA1–DA7 only, so a column adds up; the totals row adds "
    "the rows the filter shows. Never add one phase column to another."
)

PHASES_SQL = "select phase_code, name_vi from core.dim_plan_phase order by sort_order"


def rows_sql(phases: list[str]) -> str:
    """Province × year × project, total funding per phase (null where the phase has no amount)."""
    pivot = ", ".join(
        f"sum(mix.total_funding) filter (where mix.phase_code = '{code}')::double as \"{code}\"" for code in phases
    )
    return f"""
        select mix.geography_code, mix.geography_name_vi, mix.fiscal_year, mix.project_code,
               component.name_vi as project_name_vi, {pivot}
        from marts.funding_mix as mix
        left join core.dim_code_name as component
            on component.code_set = 'component' and component.code = mix.project_code
        where mix.admin_level = 'province' and mix.project_code <> 'ALL'
        group by all
        order by mix.geography_code, mix.fiscal_year, mix.project_code
    """


def ratio(numerator: float | None, denominator: float | None) -> float | str:
    """What the rate formula gives: numerator ÷ denominator, empty text where the denominator is 0 or blank."""
    if not denominator:
        return ""
    return (numerator or 0.0) / denominator


def write_question_sheets(book: Any, styles: dict[str, Any], con: duckdb.DuckDBPyConnection) -> list[Table]:
    """Write the question sheets; return their Tables."""
    phases = con.execute(PHASES_SQL).fetchall()
    codes = [code for code, _ in phases]
    missing = [code for code in RATE_PHASES if code not in codes]
    if missing:
        raise ValueError(f"core.dim_plan_phase: no phase {', '.join(missing)} for the disbursement rate")
    columns = [
        ("geography_code", "Mã tỉnh", "text", 10),
        ("geography_name_vi", "Tỉnh", "text", 18),
        ("fiscal_year", "Năm", "integer", 7),
        ("project_code", "Mã dự án", "text", 9),
        ("project_name_vi", "Dự án", "text", 30),
        *((code, f"{name} (triệu đồng)", "amount", 16) for code, name in phases),
        ("disbursement_rate", "Tỷ lệ giải ngân (giải ngân ÷ giao)", "share", 14),
    ]
    sheet = book.add_worksheet(SHEET)
    print_setup(sheet, 3, width=sum(width for _, _, _, width in columns))
    for col, (_, _, style, width) in enumerate(columns):
        sheet.set_column(col, col, width, styles[style])
    write_note(sheet, NOTE, [width for _, _, _, width in columns], styles["note"])
    widths = [width for _, _, _, width in columns]
    header_rows(sheet, [label for _, label, _, _ in columns], [name for name, _, _, _ in columns], widths)
    for col, (_, label, _, _) in enumerate(columns):
        sheet.write_string(1, col, label, styles["header"])
    for col, (name, _, _, _) in enumerate(columns):
        sheet.write_string(2, col, name, styles["header"])
    first = 3
    rate_col = len(columns) - 1
    numerator, denominator = (xl_col_to_name(5 + codes.index(code)) for code in RATE_PHASES)
    row = first
    amount_cols = range(5, 5 + len(phases))
    sums = dict.fromkeys(amount_cols, 0.0)  # the totals row's values, for readers that do not recalculate
    rate_of = (5 + codes.index(RATE_PHASES[0]), 5 + codes.index(RATE_PHASES[1]))
    cursor = con.execute(rows_sql(codes))
    while batch := cursor.fetchmany(10_000):
        for values in batch:
            lines = max(wrapped_lines(value, width) for value, width in zip(values, widths))
            if lines > 1:  # readers do not size a row to its wrapped text themselves
                sheet.set_row(row, LINE_HEIGHT * lines)
            for col, value in enumerate(values):
                if value is None:
                    continue
                if col in sums:
                    sums[col] += value
                if isinstance(value, str):
                    sheet.write_string(row, col, value, styles[columns[col][2]])
                else:
                    sheet.write_number(row, col, value, styles[columns[col][2]])
            excel_row = row + 1
            sheet.write_formula(
                row,
                rate_col,
                f'=IF(N({denominator}{excel_row})=0,"",N({numerator}{excel_row})/{denominator}{excel_row})',
                styles["share"],
                ratio(values[rate_of[0]], values[rate_of[1]]),
            )
            row += 1
    n_rows = row - first
    last = first + max(n_rows, 1)  # 1-based number of the last data row
    formulas = {}
    for index in range(5, 5 + len(phases)):
        letter = xl_col_to_name(index)
        formula = f"SUBTOTAL(109,{letter}{first + 1}:{letter}{last})"
        formulas[index] = formula
        sheet.write_formula(first + max(n_rows, 1), index, "=" + formula, styles["total_amount"], round(sums[index], 3))
    total_row = first + max(n_rows, 1) + 1
    rate = f'IF(N({denominator}{total_row})=0,"",{numerator}{total_row}/{denominator}{total_row})'
    formulas[rate_col] = rate
    label = "Tổng các dòng đang lọc / total of the rows shown"
    sheet.write_string(first + max(n_rows, 1), 0, label, styles["total"])
    sheet.write_formula(
        first + max(n_rows, 1), rate_col, "=" + rate, styles["total_share"], ratio(sums[rate_of[0]], sums[rate_of[1]])
    )
    sheet.freeze_panes(first, 2)
    totals = TotalsRow(labels={0: label}, formulas=formulas)
    return [Table(SHEET, TABLE, 2, tuple(name for name, _, _, _ in columns), n_rows, totals=totals)]
