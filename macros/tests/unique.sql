{% test unique(model, column_name, partition_column=none, partition_level='partition') %}
{#- dbt's `unique`, the project's own: fails with every non-null value of `column_name` that
    occurs on more than one row. It is unique_combination_of_columns over that one column's
    non-null rows, so that `partition_column` (a large table incremental by feed partition) scopes
    it the same way in an incremental refresh's build: the values of the rebuilt partitions,
    each counted over the whole table (macros/rebuilt_rows.sql). -#}
{{ test_unique_combination_of_columns(
    '(select * from ' ~ model ~ ' where ' ~ column_name ~ ' is not null) as non_null_rows',
    [column_name], partition_column, partition_level) }}
{% endtest %}
