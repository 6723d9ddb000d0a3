"""A server's story: everything an on-call engineer looks up about one server, at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..notebook.render import printable
from ..sdk import exceptions as exc
from ..sdk.compute.v2.flavor import Flavor
from ..sdk.compute.v2.server_action import ServerActionEvent
from ..sdk.resource import Resource
from ._common import (
    analysis_frame,
    error_text,
    fixed_ip_text,
    gib,
    is_admin,
    run_all,
    widen_pool,
)
from ._render import plural

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

    from ..sdk.compute.v2.hypervisor import Hypervisor
    from ..sdk.compute.v2.server import Server
    from ..sdk.connection import Connection
    from ..sdk.image.v2.image import Image

__all__ = ["ACTION_COLUMNS", "PORT_COLUMNS", "VOLUME_COLUMNS", "ServerStory", "server_story"]

PORT_COLUMNS = ("id", "name", "network_id", "network_name", "status", "mac_address",
                "fixed_ips", "floating_ips", "security_groups")
VOLUME_COLUMNS = ("id", "name", "status", "size_gib", "volume_type", "device", "bootable")
"""``size_gib``: Cinder's size, whose "GB" are GiB; ``bootable`` a bool (the volume's
``is_bootable``: Cinder sends ``"true"``/``"false"``)."""
ACTION_COLUMNS = ("request_id", "action", "start_time", "message", "user_id", "user_name",
                  "event", "event_result", "event_start", "event_finish", "host", "details",
                  "traceback")


@dataclass
class ServerStory:
    """One server with its flavor, image, host, ports, volumes, actions and fault.

    ``actions`` has one row per action event (an action without events has one row with
    no event), newest first. ``errors`` lists the parts that could not be fetched
    (``part, error``): a member may not read the hypervisor, an image may be gone.
    ``names`` holds the server's ``project`` and ``user`` names (from ``conn.names``; None
    where the caller cannot see them); ports carry ``network_name`` and actions
    ``user_name`` beside the ids.
    """

    server: Server
    flavor: dict[str, Any]
    image: Image | None
    host: Hypervisor | None
    ports: pd.DataFrame
    volumes: pd.DataFrame
    actions: pd.DataFrame
    fault: dict[str, Any] | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    names: dict[str, str | None] = field(default_factory=dict)

    @property
    def failed_events(self) -> pd.DataFrame:
        """The action events whose result is not Success."""
        results = self.actions["event_result"].astype("object")
        return self.actions[results.notna() & (results.str.lower() != "success")]

    def __repr__(self) -> str:
        s = self.server
        return (f"<ServerStory {s.name!r} {s.id} status={s.status} host={s.compute_host} "
                f"ports={len(self.ports)} volumes={len(self.volumes)} "
                f"actions={self.actions['request_id'].nunique()}>")

    def _summary(self) -> list[tuple[str, Any]]:
        s, f = self.server, Flavor(self.flavor)
        flavor = (f"{f.original_name or f.id}: {f.vcpus} vCPU, {gib(f.ram)} RAM, "
                  f"{f.disk} GiB disk") if self.flavor else None
        image = None
        if self.image is not None:
            image = f"{self.image.name} ({self.image.id})"
        elif isinstance(s.image, dict) and s.image.get("id"):
            image = f"{s.image['id']} (not readable)"
        host = None
        if self.host is not None:
            h = self.host
            host = f"{h.name}: {h.status}/{h.state}"
            if h.vcpus is not None:  # before compute 2.88; later, placement has it
                host += f", {h.vcpus_used}/{h.vcpus} vCPU used"
            if h.running_vms is not None:
                host += f", {plural(h.running_vms, 'server')}"
        elif s.compute_host:
            host = s.compute_host
        return [("status", f"{s.status} (vm_state {s.vm_state}, task_state {s.task_state})"),
                ("project", _named(self.names.get("project"), s.project_id)),
                ("user", _named(self.names.get("user"), s.user_id)), ("flavor", flavor),
                ("image", image), ("host", host), ("availability zone",
                                                   s.availability_zone),
                ("created", s.created_at), ("updated", s.updated_at),
                ("locked", s.locked_reason or (True if s.is_locked else None))]

    def _repr_html_(self) -> str:
        from ..notebook.html import value_html
        from ..notebook.render import attrs_table, escape_html, header_html, section, warning_html
        from ._render import frame_html

        s = self.server
        header = header_html("Server story", s.name, status=s.status, ident=s.id)
        rows = attrs_table((k, value_html(v)) for k, v in self._summary() if v is not None)
        parts = [header, rows]
        if self.fault:
            parts.append(warning_html(f"⚠ fault {escape_html(self.fault.get('code'))}: "
                                      f"{escape_html(self.fault.get('message'))}"))
            if self.fault.get("details"):
                parts.append(f"<pre>{escape_html(self.fault['details'])}</pre>")
        parts.append(frame_html(self.ports, title=plural(len(self.ports), "port")))
        parts.append(frame_html(self.volumes, title=plural(len(self.volumes), "volume")))
        actions = self.actions.drop(columns=["traceback"])
        parts.append(frame_html(actions, title="instance actions and events, newest first"))
        for _, event in self.failed_events.iterrows():
            if event["traceback"]:
                parts.append(warning_html(f"{escape_html(event['action'])} · "
                                          f"{escape_html(event['event'])}: "
                                          f"{escape_html(event['event_result'])}")
                             + f"<pre>{escape_html(event['traceback'])}</pre>")
        if self.errors:
            items = "".join(f"<li>{escape_html(part)}: {escape_html(err)}</li>"
                            for part, err in self.errors)
            parts.append(warning_html(f"not fetched:<ul>{items}</ul>"))
        return section(repr(self), "".join(parts))

    def __rich__(self) -> RenderableType:
        from rich.console import Group
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        from ..notebook.render import settings
        from ._render import cell_text, frame_rich

        s = self.server
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for key, value in self._summary():
            if value is not None:
                grid.add_row(Text(key), Text(cell_text(value, settings.text_width)))
        parts: list[Any] = [grid]
        if self.fault:
            parts.append(Text(printable(f"fault {self.fault.get('code')}: "
                                        f"{self.fault.get('message')}"), style="bold red"))
        parts.append(frame_rich(self.ports, title="ports"))
        parts.append(frame_rich(self.volumes, title="volumes"))
        parts.append(frame_rich(self.actions.drop(columns=["traceback", "details"]),
                                title="actions, newest first"))
        for part, err in self.errors:
            parts.append(Text(printable(f"not fetched: {part}: {err}"), style="yellow"))
        return Panel(Group(*parts), title=Text(printable(f"{s.name} · {s.status} · {s.id}")))


def server_story(conn: Connection, server: Any, *, max_workers: int = 8) -> ServerStory:
    """Fetch the story of ``server`` (a Server, an id or a name; an admin finds it in any
    project): its flavor, image, hypervisor, ports with fixed and floating IPs, volumes,
    instance actions with their events, and its fault. Parts are fetched concurrently; a
    part that fails is listed in ``errors`` and left empty."""
    admin = is_admin(conn)
    ident = getattr(server, "id", None) or str(server)
    found = conn.compute.find_server(ident, all_projects=admin)
    assert found is not None  # find_server raises NotFound otherwise
    srv = found
    widen_pool(conn, 3 * max_workers)  # the parts, and the requests two of them fan out

    def image() -> Any:
        image_id = srv.image.get("id") if isinstance(srv.image, dict) else None
        return conn.image.get_image(image_id) if image_id else None

    def host() -> Any:
        name = srv.hypervisor_hostname or srv.compute_host
        if not name:
            return None
        try:
            return conn.compute.find_hypervisor(name, ignore_missing=True)
        except exc.NotFound:  # Nova says 404 for a pattern that matches nothing
            return None

    def ports() -> Any:
        listed = list(conn.network.ports(device_id=srv.id))
        floating: dict[Any, list[str]] = {}
        # Each port's floating IPs at once (one listing per port, on the bounded pool).
        for port_id, ips, err in run_all(lambda pid: list(conn.network.ips(port_id=pid)),
                                         [p.id for p in listed], max_workers=max_workers):
            if err is not None:
                raise err
            for ip in ips or []:
                floating.setdefault(port_id, []).append(
                    f"{ip.floating_ip_address} → {ip.fixed_ip_address}")
        return [(p.id, p.name, p.network_id, p.status, p.mac_address,
                 fixed_ip_text(p.fixed_ips), ", ".join(floating.get(p.id, [])),
                 ", ".join(str(g) for g in p.security_group_ids or [])) for p in listed]

    def volumes() -> Any:
        rows = []
        ids = [attached["id"] for attached in srv.attached_volumes or []]
        for _, volume, err in run_all(conn.block_storage.get_volume, ids,
                                      max_workers=max_workers):
            if err is not None:
                raise err
            assert volume is not None  # run_all gives no result only beside an error
            device = next((a.get("device") for a in volume.attachments or []
                           if isinstance(a, dict) and a.get("server_id") == srv.id), None)
            rows.append((volume.id, volume.name, volume.status, volume.size,
                         volume.volume_type, device, volume.is_bootable))
        return rows

    def actions() -> Any:
        listed = list(conn.compute.server_actions(srv))
        detailed = run_all(lambda rid: conn.compute.get_server_action(str(rid), srv),
                           [a.request_id for a in listed], max_workers=max_workers)
        rows: list[tuple[Any, ...]] = []
        for (_, body, err), summary in zip(detailed, listed, strict=True):
            action = body or summary
            events = action.events if err is None and isinstance(action.events, list) else []
            base = (action.request_id, action.action, action.start_time, action.message,
                    action.user_id)
            if not events:
                rows.append((*base, None, None, None, None, None, None, None))
            for e in events:
                if not isinstance(e, ServerActionEvent):
                    e = ServerActionEvent()
                rows.append((*base, e.event, e.result, e.start_time, e.finish_time, e.host,
                             e.details, e.traceback))
        return rows

    def names() -> Any:
        conn.names.prefetch(["project", "user", "network"])
        return None

    parts = {"image": image, "host": host, "ports": ports, "volumes": volumes,
             "actions": actions, "names": names}
    results: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, result, err in run_all(lambda n: parts[n](), parts, max_workers=max_workers):
        results[name] = result
        if err is not None:
            errors.append((name, error_text(err)))
    ports_frame = _frame(results.get("ports"), [c for c in PORT_COLUMNS
                                                if c != "network_name"])
    networks = conn.names.resolve("network", ports_frame["network_id"])
    ports_frame.insert(3, "network_name", ports_frame["network_id"].map(networks)
                       .astype("object"))
    actions_frame = _actions_frame(results.get("actions"))
    users = conn.names.resolve("user", [*actions_frame["user_id"], srv.user_id])
    actions_frame.insert(5, "user_name", actions_frame["user_id"].map(users).astype("object"))
    project = conn.names.resolve("project", [srv.project_id]).get(srv.project_id or "")
    return ServerStory(
        server=srv, flavor=_mapping(srv.flavor, "original_name"),
        image=results.get("image"),
        host=results.get("host"), ports=ports_frame,
        volumes=_frame(results.get("volumes"), VOLUME_COLUMNS), actions=actions_frame,
        fault=_mapping(srv.fault, "message") or None, errors=errors,
        names={"project": project, "user": users.get(srv.user_id or "")})


def _named(name: str | None, ident: Any) -> Any:
    """``"name (id)"``, or the id alone when there is no name."""
    return f"{name} ({ident})" if name and ident else ident


def _mapping(value: Any, key: str) -> dict[str, Any]:
    """A nested object as the dict the server sent: a server that sends a bare string (an
    old or broken cloud's ``"flavor": "m1.small"``) gets it under ``key``; nothing else
    breaks a story."""
    if isinstance(value, Resource):
        return value.raw
    if isinstance(value, dict):
        return dict(value)
    return {key: value} if value not in (None, "", [], {}) else {}


def _frame(rows: Any, columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    import pandas as pd

    return analysis_frame(pd.DataFrame(list(rows or []), columns=list(columns)))


def _actions_frame(rows: Any) -> pd.DataFrame:
    import pandas as pd

    frame = _frame(rows, [c for c in ACTION_COLUMNS if c != "user_name"])
    for column in ("start_time", "event_start", "event_finish"):
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce",
                                       format="ISO8601")
    return frame.sort_values(["start_time", "event_start"], ascending=False,
                             na_position="last", ignore_index=True, kind="stable")
