-- One row: which refresh built this warehouse file (readers check it to see which build they read),
-- from what project state, and whether it rebuilt everything or only changed feed partitions.
{%- set changed = rebuilt_partitions() %}
with

final as (

    select
        cast('{{ run_var("run_id", "dev") }}' as {{ dbt.type_string() }}) as run_id,
        cast('{{ run_var("git_commit", "unknown") }}' as {{ dbt.type_string() }}) as git_commit,
        cast('{{ run_var("project_fingerprint", "unknown") }}' as {{ dbt.type_string() }})
            as project_fingerprint,
        cast('{{ "full" if changed is none else "incremental" }}' as {{ dbt.type_string() }})
            as refresh_mode,
        cast({{ "null" if changed is none else changed | length }} as integer)
            as n_rebuilt_partitions,
        cast(current_timestamp as timestamp) as built_at

)

select * from final
