{% test amounts_keep_their_phase(model, grain, phase_column='phase_code', row_is_one_amount=false) %}
{#- Money has a phase, and phases are never added: a model with amount columns either keys its rows
    by the phase (`phase_column` is one of `grain`, its unique key), or each row is one printed
    amount (`row_is_one_amount`, a key of one id), and then every row names its phase; or else the
    whole model holds one phase. Fails with the rows that break it: a row without its phase, or
    the phases of a model that holds several without keying its rows by them.
    tests/test_documentation.py checks that every published model with an amount column (a name
    ending in _million_vnd or described in million VND, the rule of src/ntp_poverty/publish/excel.py)
    has this test and that `grain` is the key another test proves unique. -#}
{%- if phase_column in grain or row_is_one_amount %}
select {{ grain | join(', ') }}, {{ phase_column }}
from {{ model }}
where {{ phase_column }} is null
{%- else %}
select
    count(distinct {{ phase_column }}) as n_phases,
    min({{ phase_column }}) as first_phase,
    max({{ phase_column }}) as last_phase
from {{ model }}
having count(distinct {{ phase_column }}) > 1 or count({{ phase_column }}) < count(*)
{%- endif %}
{% endtest %}
