"""``python -m tracker``: the command line (see tracker/cli.py)."""

from tracker.cli import main

if __name__ == "__main__":
    main()
