"""Identity (Keystone) v3: one module per resource, and ``_proxy.Proxy`` (``conn.identity``)."""
