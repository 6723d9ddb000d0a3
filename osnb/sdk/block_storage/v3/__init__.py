"""Block Storage (Cinder) API v3."""
