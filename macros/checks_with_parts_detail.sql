{% macro checks_with_parts_detail(checks, parts, measure, order_by) %}
    {#- Every row of `checks` (one per sum check: amount_id, source_partition,
        computed_amount_million_vnd, reported_amount_million_vnd, n_parts_found, n_parts_expected,
        and its other columns; reported_amount_million_vnd is not kept) with parts_detail: for a
        check whose parts do not add up to its printed total exactly, or are not all printed,
        `measure` of each of its rows in `parts` (amount_id, source_partition) joined by "; " in the
        order `order_by`; null otherwise. The text is for a reader checking a failure by hand;
        building it for the millions of checks that match cost more than the checks. -#}
    select
        {{ star_exclude(['checks.reported_amount_million_vnd'], 'checks') }},
        details.parts_detail
    from {{ checks }} as checks
    left join (
        select
            parts.amount_id,
            parts.source_partition,
            {{ ordered_listagg(measure, "'; '", order_by) }} as parts_detail
        from {{ parts }} as parts
        inner join {{ checks }} as differing
            on
                parts.amount_id = differing.amount_id
                and parts.source_partition = differing.source_partition
        where
            differing.computed_amount_million_vnd
            is distinct from differing.reported_amount_million_vnd
            or differing.n_parts_found < differing.n_parts_expected
        group by parts.amount_id, parts.source_partition
    ) as details
        on
            checks.amount_id = details.amount_id
            and checks.source_partition = details.source_partition
{% endmacro %}
