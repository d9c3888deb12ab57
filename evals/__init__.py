"""Evaluation of Shiori (and a tutorial baseline) on a ja/en question set: run, score, report."""
