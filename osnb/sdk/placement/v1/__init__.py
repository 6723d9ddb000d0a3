"""Placement v1: one module per resource, and ``_proxy.Proxy`` (``conn.placement``)."""
