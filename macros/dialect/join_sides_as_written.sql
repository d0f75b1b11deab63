{% macro join_sides_as_written() %}
    {#- A model's pre-hook: each hash join keeps the build side its query gives it. DuckDB otherwise
        may build an anti join's hash table from the side it estimates smaller, which for
        int_plan_amounts_leaf_selected was every column of 3.3 million printings instead of their
        keys, and ran a 50M-row sliced build out of its memory limit (docs/benchmarks.md). Undone by
        join_sides_reset() in the model's post-hook. -#}
    {{ return(adapter.dispatch('join_sides_as_written', 'ntp_poverty')()) }}
{% endmacro %}
