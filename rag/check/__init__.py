"""Checking: support of a sentence by passages, and claims judged on the evidence."""
