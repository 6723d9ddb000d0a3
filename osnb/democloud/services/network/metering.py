"""Metering: labels counting a router's traffic and the rules that say which (Neutron
``/metering/metering-labels`` and ``/metering/metering-label-rules``; admin only).

A rule belongs to one label and matches a prefix in one direction; two rules of a label
with the same direction and ``excluded`` may not overlap (409
``MeteringLabelRuleOverlaps``). Deleting a label deletes its rules.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...store import Record, Store
from ._common import RO, bad, conflict
from ._plugin import FALSE, NAME, OWNER, PluginCollection

__all__ = ["LABELS", "RULES", "routes", "seed"]


class Labels(PluginCollection):
    """Metering labels; deleting one deletes its rules."""

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        rules = RULES.records(ctx.store)
        for rule in [r for r in rules.values() if r["metering_label_id"] == record["id"]]:
            del rules[rule["id"]]


def _network(key: str, prefix: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(prefix, strict=False)
    except (TypeError, ValueError):
        raise bad(f"Invalid input for {key}. Reason: '{prefix}' is not a valid IP "
                  "subnet.") from None


class Rules(PluginCollection):
    """A label's rules: a prefix (``remote_ip_prefix``, deprecated, or a source and a
    destination prefix, as Neutron 29 has them) in one direction, none overlapping its
    like."""

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        label = LABELS.get(ctx, record["metering_label_id"])
        record["_project_id"] = label["project_id"]
        prefix = record.get("remote_ip_prefix")
        if prefix and (record.get("source_ip_prefix") or record.get("destination_ip_prefix")):
            raise bad("Cannot use 'remote-ip-prefix' in conjunction with 'source-ip-prefix' "
                      "or 'destination-ip-prefix'.", type="Invalid")
        for key in ("source_ip_prefix", "destination_ip_prefix"):
            if record.get(key):
                record[key] = str(_network(key, record[key]))
        if not prefix:
            if record.get("source_ip_prefix") or record.get("destination_ip_prefix"):
                return
            raise bad("You must define at least one of the following parameters "
                      "'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'.",
                      type="Invalid")
        net = _network("remote_ip_prefix", prefix)
        record["remote_ip_prefix"] = str(net)
        for other in self.records(ctx.store).values():
            if other["metering_label_id"] == label["id"] and \
                    other["direction"] == record["direction"] and \
                    other["excluded"] == record["excluded"] and \
                    other.get("remote_ip_prefix") and \
                    ipaddress.ip_network(other["remote_ip_prefix"]).overlaps(net):
                raise conflict(f"Metering label rule with remote_ip_prefix {net} overlaps "
                             "another.", "MeteringLabelRuleOverlaps")


LABELS = Labels("metering_label", "metering_labels", path="metering-labels",
                visibility="admin", write="admin", project_key="project_id", fields={
                    "id": RO, **OWNER, "name": NAME, "description": NAME, "shared": FALSE})
RULES = Rules("metering_label_rule", "metering_label_rules", path="metering-label-rules",
              visibility="admin", write="admin", owner_keys=(), allow_update=False, fields={
                  "id": RO,
                  "remote_ip_prefix": Field(type="cidr", nullable=True, default=None,
                                            create_only=True),
                  "source_ip_prefix": Field(type="cidr", nullable=True, default=None,
                                            create_only=True),
                  "destination_ip_prefix": Field(type="cidr", nullable=True, default=None,
                                                 create_only=True),
                  "direction": Field(choices=("ingress", "egress"), required=True,
                                     create_only=True),
                  "metering_label_id": Field(type="uuid", required=True, create_only=True),
                  "excluded": Field(type="bool", lenient=True, default=False,
                                    create_only=True)})


def seed(store: Store, project_id: str) -> None:
    """What an operator billing external traffic sets up: a shared label counting the
    traffic that leaves the cloud, private ranges excluded."""
    if not project_id:
        return
    label = LABELS.seeded(store, project_id, "metering:egress", name="internet-egress",
                          description="Traffic leaving the cloud, billed per project",
                          shared=True)
    for name, prefix, excluded in (("all", "0.0.0.0/0", False),
                                   ("rfc1918-a", "10.0.0.0/8", True),
                                   ("rfc1918-c", "192.168.0.0/16", True)):
        RULES.seeded(store, project_id, f"metering:egress:{name}", remote_ip_prefix=prefix,
                     direction="egress", excluded=excluded, metering_label_id=label["id"])


def routes() -> list[BaseRoute]:
    return [*LABELS.routes("/v2.0/metering"), *RULES.routes("/v2.0/metering")]
