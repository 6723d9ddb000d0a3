"""Placeholder: being written (hypervisors, services, aggregates, AZs, limits, quotas,
usage, migrations). Mounted by :mod:`.compute`, which calls the hooks below."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Record, Store


def routes() -> list[BaseRoute]:
    """Routes relative to the compute mount (``/v2.1/os-hypervisors`` …)."""
    return []


def seed_hosts(store: Store) -> None:
    """Create hypervisors (table ``hypervisors``), compute services, aggregates, AZs."""


def place(store: Store, *, vcpus: int, ram_mb: int, disk_gb: int,
          availability_zone: str | None = None) -> Record | None:
    """Pick a hypervisor with room, count the usage on it, and return it (None: no room)."""
    return None


def release(store: Store, hypervisor_hostname: str, *, vcpus: int, ram_mb: int,
            disk_gb: int) -> None:
    """Give back what :func:`place` counted (server deleted)."""


def seed_after_servers(store: Store) -> None:
    """Quotas (some projects near or over their limits), migrations."""
