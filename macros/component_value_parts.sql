{% macro component_value_parts(values, columns, components) %}
    {#- The body of a CTE of family 3's parts: every row of `values` twice over, as a part of its
        own component (is_own_value) and as a part of its parent component, so that a listed
        component finds its own value and its sub-projects' values by one equality (an `or` in the
        join would pair each total with its whole block). `columns` are the further columns of
        `values` that the join compares; `components` is the CTE of the program components. -#}
    {%- for is_own_value in [true, false] %}
    select
        {{ sum_check_part_columns(values) }},
        {%- for column in columns %}
        {{ values }}.{{ column }},
        {%- endfor %}
        {% if is_own_value -%}
        {{ values }}.component_code as part_component,
        true as is_own_value
    from {{ values }}
        {%- else -%}
        {{ components }}.parent_component_code as part_component,
        false as is_own_value
    from {{ values }}
    inner join {{ components }}
        on {{ values }}.component_code = {{ components }}.component_code
    where {{ components }}.parent_component_code is not null
        {%- endif %}
    {% if is_own_value %}
    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}
