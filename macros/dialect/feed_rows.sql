{% macro feed_rows(source_relation, files, columns, with_provenance=true) %}
    {#- A select of every row of a feed source's files, by column name: the contract's columns
        (null where a file lacks one; no rows, not an error, when no file matches) plus, with
        provenance, the file path (filename) and the folder's partition values (province, year)
        as text. -#}
    {{ return(adapter.dispatch('feed_rows', 'ntp_poverty')(source_relation, files, columns, with_provenance)) }}
{% endmacro %}
