"""Handout Builder: YAML patient handouts to branded, print-ready PDF leaflets."""

__version__ = "0.1.0"
