"""What a connection is: cloud, region, auth URL, user, project, roles and the catalog.

Shown by ``%os_connect``; rendered as HTML in Jupyter and as rich in a terminal. Nothing
secret is read: the token itself never enters the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .render import attrs_table, escape_html, header_html, list_table, printable, section

if TYPE_CHECKING:
    from ..sdk.connection import Connection

__all__ = ["ConnectionSummary", "summarize"]


@dataclass
class ConnectionSummary:
    name: str
    cloud: str
    region: str | None
    auth_url: str | None
    user: str | None
    project: str | None
    project_id: str | None
    roles: list[str]
    endpoints: list[tuple[str, str, str]] = field(default_factory=list)
    """(service type, interface, URL) in the connection's region."""
    cached: bool = False

    def _repr_html_(self) -> str:
        head = header_html("Connection", self.name,
                           status="cached" if self.cached else "connected")
        facts = attrs_table((k, escape_html(v)) for k, v in self._facts())
        services = list_table(("service", "interface", "endpoint"),
                              ([escape_html(part) for part in endpoint]
                               for endpoint in self.endpoints))
        return section(self._text(), head + facts + services)

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        for key, value in self._facts():
            facts.add_row(Text(key), Text(printable(value)))
        services = Table(title="catalog", title_justify="left")
        for column in ("service", "interface", "endpoint"):
            services.add_column(column)
        for t, i, u in self.endpoints:
            services.add_row(Text(printable(t)), Text(printable(i)), Text(printable(u)))
        state = "cached" if self.cached else "connected"
        return Group(Text(f"Connection {self.name} ({state})", style="bold"), facts, services)

    def _facts(self) -> list[tuple[str, Any]]:
        return [("bound to", self.name), ("cloud", self.cloud), ("region", self.region or "—"),
                ("auth URL", self.auth_url or "—"), ("user", self.user or "—"),
                ("project", f"{self.project} ({self.project_id})" if self.project else "—"),
                ("roles", ", ".join(self.roles) or "—")]

    def _text(self) -> str:
        lines = [f"{k}: {v}" for k, v in self._facts()]
        lines += [f"  {t:<15} {i:<8} {u}" for t, i, u in self.endpoints]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self._text())

    def __repr__(self) -> str:
        return f"<ConnectionSummary {self.cloud} {self.region} user={self.user} project={self.project}>"


def summarize(conn: Connection, name: str = "conn", *, cached: bool = False) -> ConnectionSummary:
    """Authenticate if needed and describe ``conn``."""
    session = conn.session
    access = session.auth.get_access(session)
    region = conn.config.region_name
    endpoints: list[tuple[str, str, str]] = []
    for service in access.service_catalog.catalog or []:
        for endpoint in service.get("endpoints", []):
            if region and endpoint.get("region_id", endpoint.get("region")) not in (region, None):
                continue
            if endpoint.get("interface") != conn.config.interface:
                continue
            endpoints.append((str(service.get("type")), str(endpoint.get("interface")),
                              str(endpoint.get("url"))))
    endpoints.sort()
    return ConnectionSummary(
        name=name, cloud=conn.config.name, region=region, auth_url=conn.config.auth_url,
        user=access.username, project=access.project_name, project_id=access.project_id,
        roles=sorted(access.role_names or []), endpoints=endpoints, cached=cached)
