{% macro default__join_sides_as_written() -%}
    set disabled_optimizers = 'build_side_probe_side'
{%- endmacro %}
