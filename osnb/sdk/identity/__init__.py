"""Identity (Keystone) API v3."""
