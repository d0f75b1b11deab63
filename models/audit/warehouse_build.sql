-- One row: which refresh built this warehouse file (readers check it to see which build they read).
with

final as (

    select
        cast('{{ var("run_id", "dev") }}' as {{ dbt.type_string() }}) as run_id,
        cast('{{ var("git_commit", "unknown") }}' as {{ dbt.type_string() }}) as git_commit,
        cast(current_timestamp as timestamp) as built_at

)

select * from final
