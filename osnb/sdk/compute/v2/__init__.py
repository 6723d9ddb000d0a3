"""Compute (Nova) API v2.1."""
