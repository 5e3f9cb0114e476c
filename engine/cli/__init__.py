"""The command-line interface: the only modules that import typer or rich."""
