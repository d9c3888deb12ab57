"""`python -m shiori …` runs the `shiori` command, which lives with the other interfaces (ui/cli.py)."""


def main() -> None:
    """Run the command (imported here, when run: shiori/ itself depends on no interface)."""
    from ui.cli import main as run

    run()


if __name__ == "__main__":
    main()
