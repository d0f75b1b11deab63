{% macro default__join_sides_reset() -%}
    reset disabled_optimizers
{%- endmacro %}
