"""The notebook layer: HTML and rich reprs, widgets, progress, and the IPython magics."""

__all__: list[str] = []
