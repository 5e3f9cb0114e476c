"""``python -m engine`` runs the command-line interface."""

from engine.cli.app import main

if __name__ == "__main__":
    main()
