"""Guichet: the one-stop shop of a regional investment agency."""

__version__ = "0.1.0"
