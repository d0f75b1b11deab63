{% macro report_unaccounted_amounts(limit=50) %}
    {#- on-run-end: print the amounts audit.amount_accounting cannot account for (reason_code
        unaccounted, which its tests refuse), each with its document, file and line, so that the
        failed build says which printed amount would have left the marts. At most `limit` lines
        and a count of the rest. -#}
    {% if execute %}
        {% set relation = adapter.get_relation(database=target.database, schema='audit',
                                               identifier='amount_accounting') %}
        {% if relation is not none %}
            {% set sql %}
                select amount_kind, amount_key, document_id, source_file, source_line,
                       amount_million_vnd, phase_code
                from {{ relation }}
                where reason_code = 'unaccounted'
                order by document_id, source_line, amount_key
            {% endset %}
            {% set rows = run_query(sql).rows %}
            {% for row in rows[:limit] %}
                {{ log('UNACCOUNTED AMOUNT: ' ~ row[0] ~ ' ' ~ row[1] ~ ' of document ' ~ row[2] ~ ', '
                       ~ row[3] ~ ' line ' ~ row[4] ~ ': ' ~ row[5] ~ ' million VND (' ~ row[6]
                       ~ ') is counted in no mart and no reason of seed accounting_reasons describes it',
                       info=True) }}
            {% endfor %}
            {% if rows | length > limit %}
                {{ log('UNACCOUNTED AMOUNT: ' ~ (rows | length - limit) ~ ' more', info=True) }}
            {% endif %}
        {% endif %}
    {% endif %}
{% endmacro %}
