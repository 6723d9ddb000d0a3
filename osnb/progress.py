"""Progress for long listings and waits, in a notebook and in a terminal.

Nothing shows for operations that finish within ``settings.delay`` seconds, so quick calls
stay quiet. In Jupyter the progress is one display that updates in place; in a terminal
it is one line on stderr rewritten in place (only when stderr is a terminal, unless
``settings.stream`` is set).
"""

from __future__ import annotations

import html
import sys
import time
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["Progress", "settings"]


@dataclass
class Settings:
    delay: float = 1.0
    """Seconds before progress appears."""
    enabled: bool = True
    stream: IO[str] | None = None
    """Where terminal progress goes; None: stderr when it is a terminal."""
    mode: str = "auto"
    """``auto``, ``notebook`` or ``text``."""


settings = Settings()


def _in_notebook() -> bool:
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class Progress:
    """One operation's progress line: ``update(text)`` as it goes, ``close(text)`` at the end."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self._handle: Any = None
        self._stream: IO[str] | None = None
        self._shown = False
        self._last = ""

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def update(self, text: str) -> None:
        if not settings.enabled:
            return
        self._last = text
        if not self._shown:
            if self.elapsed < settings.delay:
                return
            self._open()
        self._render(text, final=False)

    def close(self, text: str | None = None) -> None:
        if self._shown:
            self._render(text or self._last, final=True)

    def _open(self) -> None:
        self._shown = True
        mode = settings.mode
        if mode == "auto":
            mode = "notebook" if _in_notebook() else "text"
        if mode == "notebook":
            from IPython.display import HTML, display

            self._handle = display(HTML(""), display_id=True)
        else:
            stream = settings.stream or sys.stderr
            if settings.stream is not None or stream.isatty():
                self._stream = stream

    def _render(self, text: str, *, final: bool) -> None:
        line = f"{self.label}: {text} · {self.elapsed:.1f}s"
        if self._handle is not None:
            from IPython.display import HTML

            mark = "✓" if final else "…"
            self._handle.update(HTML(f"<div class='osnb-progress'><code>{html.escape(line)}"
                                     f" {mark}</code></div>"))
        elif self._stream is not None:
            self._stream.write("\r" + line + ("\n" if final else ""))
            self._stream.flush()
