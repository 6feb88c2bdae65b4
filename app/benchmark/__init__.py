"""Measures where the time goes: embedding, ingest, re-ingest, matching at scale, the LLM.

See :func:`run_benchmark` and the README's "Scale and benchmarks" section.
"""

from app.benchmark.runner import BenchOptions, run_benchmark

__all__ = ["BenchOptions", "run_benchmark"]
