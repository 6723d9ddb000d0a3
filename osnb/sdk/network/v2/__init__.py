"""Networking (Neutron) API v2.0."""
