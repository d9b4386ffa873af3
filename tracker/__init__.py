"""Regie: a classroom tracker for personalised learning."""

__version__ = "0.1.0"
