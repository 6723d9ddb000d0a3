"""Placement API v1."""
