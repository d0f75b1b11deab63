"""The ntp_poverty project's own dbt-score rules (see conventions.py)."""
