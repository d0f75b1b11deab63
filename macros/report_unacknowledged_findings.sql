{% macro report_unacknowledged_findings() %}
    {#- on-run-end: print every unacknowledged arithmetic mismatch with its check, document and line,
        so that a failed build says which printed total does not add up. -#}
    {% if execute %}
        {% set relation = adapter.get_relation(database=target.database, schema='audit',
                                               identifier='sum_check_findings') %}
        {% if relation is not none %}
            {% set sql %}
                select check_code, document_id, source_line,
                       coalesce(' (' || locator || ')', '') as locator_note,
                       reported_amount_million_vnd,
                       computed_amount_million_vnd, difference_million_vnd,
                       coalesce(' in fiscal year ' || fiscal_year, '') as year_note
                from {{ relation }}
                where classification = 'arithmetic_mismatch' and not is_acknowledged
                order by document_id, source_line, check_code, fiscal_year
            {% endset %}
            {% for row in run_query(sql).rows %}
                {{ log('UNACKNOWLEDGED ARITHMETIC MISMATCH: check ' ~ row[0] ~ ', document ' ~ row[1]
                       ~ ', line ' ~ row[2] ~ row[7] ~ row[3] ~ ': printed ' ~ row[4] ~ ', parts sum to '
                       ~ row[5] ~ ', difference ' ~ row[6], info=True) }}
            {% endfor %}
        {% endif %}
    {% endif %}
{% endmacro %}
