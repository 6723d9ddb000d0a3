"""Operator analyses over a Connection, each a DataFrame (or an object that renders).

- :func:`quota_report` — every project's quotas, limit/use/headroom, fetched concurrently
- :func:`usage` — server hours per project over a period
- :func:`capacity` — capacity and headroom per host, aggregate or availability zone
- :func:`fan_out` — one function over many connections (:func:`connections_for_projects`)
- :func:`lookup` — what an id, name or address is, across services
- :func:`server_story` — a server with its host, ports, volumes, actions and fault
- finders: :func:`servers_in_error`, :func:`servers_per_host`,
  :func:`orphaned_floating_ips`, :func:`detached_volumes`, :func:`ports_without_device`
- plots (:mod:`osnb.analysis.plots`): :func:`quota_heatmap`, :func:`capacity_plot`,
  :func:`usage_plot`

The frames share conventions: counts and limits are integers (pandas ``Int64`` where a
value can be missing; a quota limit of -1, unlimited, stays -1); sizes are in GiB
(``*_gib`` columns: Nova's RAM MiB divided by 1024, Nova's and Cinder's disk "GB" are GiB
already); ratios are named for what they are (``utilisation``, ``vcpu_allocation_ratio``)
with a ``*_pct`` percentage beside them; floats display as plain numbers, never in
scientific notation.

pandas and matplotlib are imported when a function runs, not when this package loads.
"""

from __future__ import annotations

from ..sdk import hooks as _hooks
from .capacity import capacity
from .fanout import FanOut, connections_for_projects, fan_out
from .finders import (
    detached_volumes,
    orphaned_floating_ips,
    ports_without_device,
    servers_in_error,
    servers_per_host,
)
from .lookup import lookup
from .plots import capacity_plot, quota_heatmap, usage_plot
from .quota import quota_report
from .story import ServerStory, server_story
from .usage import usage

__all__ = [
    "FanOut", "ServerStory", "capacity", "capacity_plot", "connections_for_projects",
    "detached_volumes", "fan_out", "lookup", "orphaned_floating_ips", "ports_without_device",
    "quota_heatmap", "quota_report", "server_story", "servers_in_error", "servers_per_host",
    "usage", "usage_plot",
]


# The connection's shortcuts (conn.quota_report(), conn.lookup(), …) reach these through
# the SDK's door: the SDK imports no analysis.
for _fn in (quota_report, lookup, server_story, capacity, usage, connections_for_projects):
    _hooks.register(_fn.__name__, _fn)
del _fn
