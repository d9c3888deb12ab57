"""`python -m shiori …` runs the `shiori` command."""

from shiori.cli import main

main()
