"""Benchmarks run only through ``make bench`` (files named bench_*.py)."""
