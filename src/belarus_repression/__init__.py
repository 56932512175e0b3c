"""Reproducible analyses of political repression in Belarus and the sanctions answering it."""

__version__ = "0.1.0"
