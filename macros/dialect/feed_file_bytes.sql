{% macro feed_file_bytes() %}
    {#- A select of every data file of the feed (CSV and Parquet in its partition folders): the
        file's path (filename), its bytes (content) and its size in bytes (size). -#}
    {{ return(adapter.dispatch('feed_file_bytes', 'ntp_poverty')()) }}
{% endmacro %}
