"""Shared rich consoles: ``out`` for results, ``err`` for messages and progress.

Both are :class:`SafeConsole`: whatever text they are given (cell contents, file names,
exception messages), no control character of it reaches the terminal; each is shown as
its escape (``\\x1b``, see :mod:`engine.textsafe`). Newlines are kept, so tables still wrap.
Long user text is shortened where it is put into a message (:func:`shown`), not here:
the console cannot tell user text from the program's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from engine.textsafe import is_printable, printable


def shown(text: object, limit: int | None = 200) -> str:
    """User text (a file name, a branch name) for a console line or table cell: shortened to
    ``limit`` characters and with every control character shown as its escape."""
    return printable(str(text), limit=limit)


def _safe_text(text: Text, console: Console) -> Text:
    """A copy of ``text`` with its control characters shown as escapes, styles kept."""
    pieces: list[tuple[str, Style | str]] = [
        (printable(segment.text, keep_newlines=True, limit=None), segment.style or "")
        for segment in text.render(console)
    ]
    safe = Text.assemble(
        *pieces, justify=text.justify, overflow=text.overflow, no_wrap=text.no_wrap, end=text.end, tab_size=8
    )
    safe.style = text.style
    return safe


class SafeConsole(Console):
    """A rich Console that never writes a control character of the text it renders.

    Plain strings are made printable before markup is parsed and before layout
    (:meth:`render_str`), so tables measure what is shown; :class:`~rich.text.Text` objects
    are copied with escapes when they hold a control character; and as a last net every
    segment of text (never rich's own control segments: cursor moves, colours) is checked.
    """

    def render_str(self, text: str, **kwargs: object) -> Text:  # type: ignore[override]
        if not is_printable(text, keep_newlines=True):
            text = printable(text, keep_newlines=True, limit=None)
        return super().render_str(text, **kwargs)  # type: ignore[arg-type]

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, Text) and not is_printable(renderable.plain, keep_newlines=True):
            renderable = _safe_text(renderable, self)
        for segment in super().render(renderable, options):
            if segment.control or is_printable(segment.text, keep_newlines=True):
                yield segment
            else:
                yield Segment(printable(segment.text, keep_newlines=True, limit=None), segment.style)


out = SafeConsole(highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
