"""Benchmarks of the refresh: `make bench` (benchmarks/run.py) writes BENCHMARKS.md."""
