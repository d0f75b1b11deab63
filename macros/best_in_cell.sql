{% macro best_in_cell(cell_columns, rank='documents.precedence_rank') %}
    {#- true for the rows of the best-ranked document of their cell (the window's partition:
        `cell_columns`), where several documents give a value for the same cell; `rank` is
        core.dim_document.precedence_rank (ties: the feed's reports, each keeps its rows). A
        column expression: filter on it in the next CTE. -#}
    {{ rank }} = min({{ rank }}) over (
        partition by {{ cell_columns | join(', ') }}
    )
{%- endmacro %}
