"""Weerbaar: regional platform for healthcare resilience."""

__version__ = "0.1.0"
