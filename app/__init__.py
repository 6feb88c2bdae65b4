"""Nichematch: find, judge and write to niche micro-influencers."""

__version__ = "0.1.0"
