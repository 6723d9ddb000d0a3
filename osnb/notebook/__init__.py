"""The notebook layer: HTML and rich reprs, widgets, progress, and the IPython magics.

``osnb.notebook.settings`` holds how much the reprs show (rows of a listing, widths…):
see :class:`~osnb.notebook.render.DisplaySettings`.
"""

from .render import DisplaySettings, settings

__all__ = ["DisplaySettings", "settings"]
