"""Benchmarks for mali-kg: query latency, HTTP throughput, cold start, validation and scale.

Run everything with ``uv run python -m bench`` (``--quick`` for a smoke run); results go to
``bench/results/`` as a Markdown report, a JSON file with every measurement, and plots.
"""
