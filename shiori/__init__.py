"""Shiori: answers about Japanese documents, each claim tied to the exact passage it rests on."""

__version__ = "0.1.0"
