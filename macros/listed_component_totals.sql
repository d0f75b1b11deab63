{% macro listed_component_totals(totals) %}
    {#- The body of a CTE of family 3's totals: each printed component total (from the CTE
        `totals`) once per component it lists (sums_components), as part_component. -#}
    select
        {{ totals }}.*,
        {{ unnest_pipe_list(totals ~ '.sums_components') }} as part_component
    from {{ totals }}
    where {{ totals }}.sums_components is not null
{%- endmacro %}
