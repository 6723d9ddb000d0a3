"""Image (Glance) API v2."""
