{% macro repeated_hashes(relation, hash_column) %}
    {#- A query of the hashes that occur more than once in `hash_column` of `relation` (a hash
        repeated n times may be listed up to n - 1 times), for a test to check those rows again by
        their values. -#}
    {{ return(adapter.dispatch('repeated_hashes', 'ntp_poverty')(relation, hash_column)) }}
{% endmacro %}
