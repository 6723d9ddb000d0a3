"""The DataFrame subclasses the analyses return.

This module imports pandas, so the analyses import it when they run (see
:func:`osnb.analysis._common.analysis_frame`). The classes live at module level so that
frames carrying them pickle (``df.to_pickle``, multiprocessing).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..notebook.safety import printable, safe_frame

__all__ = ["AnalysisFrame", "ErrorTable", "plain_number"]


def plain_number(value: float) -> str:
    """A float as a fixed-point number with thousands separators and two decimals: never
    the scientific notation pandas picks for values over a million or under 1e-6."""
    return f"{value:,.2f}"


class AnalysisFrame(pd.DataFrame):
    """An analysis result: a DataFrame whose floats display as :func:`plain_number` (in
    ``repr`` and in notebooks), and whose server strings show control and bidi characters
    escaped (:func:`~osnb.notebook.safety.safe_frame`). Everything else is pandas' own, and the frames derived
    from it (filters, sorts, column selections) stay AnalysisFrames."""

    @property
    def _constructor(self) -> Any:
        return AnalysisFrame

    def __repr__(self) -> str:
        with pd.option_context("display.float_format", plain_number):
            return pd.DataFrame.__repr__(safe_frame(self)) + self._errors_note()

    def _repr_html_(self) -> str | None:
        from ..notebook.safety import escape_html

        with pd.option_context("display.float_format", plain_number):
            html = pd.DataFrame._repr_html_(safe_frame(self)) or ""
        note = self._errors_note().strip()
        return html + (f"<div class='osnb-warning'>{escape_html(note)}</div>" if note else "")

    def _errors_note(self) -> str:
        """What the analysis could not do, said under the table: ``attrs["errors"]``."""
        errors = self.attrs.get("errors")
        if not isinstance(errors, pd.DataFrame) or errors.empty:
            return ""
        first = printable(" · ".join(str(v) for v in errors.iloc[0].dropna()))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"\n⚠ {first}{more} — see .attrs['errors']"


class ErrorTable(pd.DataFrame):
    """Failures of an analysis, safe to keep in another frame's ``attrs``.

    pandas compares ``attrs`` with ``==`` when it combines frames (``astype``, ``concat``)
    and a plain DataFrame there raises "truth value of a DataFrame is ambiguous". This
    subclass compares as a whole (``equals``), so the frame carrying it stays usable.
    """

    @property
    def _constructor(self) -> Any:
        return ErrorTable

    def __eq__(self, other: object) -> bool:
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # equal tables, so unhashable
