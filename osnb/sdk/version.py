"""osnb's version, here so the SDK (the User-Agent it sends) need not import the package
face; ``osnb.__version__`` is this."""

__all__ = ["__version__"]

__version__ = "0.1.0"
