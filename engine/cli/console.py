"""Shared rich consoles: ``out`` for results, ``err`` for messages and progress."""

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
