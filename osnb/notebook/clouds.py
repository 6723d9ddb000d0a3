"""The configured clouds as a table (``%os_clouds``); every credential already masked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .render import escape_html, footer_html, list_table, printable, section

__all__ = ["CloudTable"]

COLUMNS = ("cloud", "auth_url", "auth_type", "regions", "user", "project")


@dataclass
class CloudTable:
    clouds: dict[str, dict[str, Any]]
    """Cloud name → settings, masked by the caller."""
    source: str | None

    def rows(self) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for name, cfg in sorted(self.clouds.items()):
            auth = cfg.get("auth") or {}
            regions = cfg.get("regions") or ([cfg["region_name"]] if cfg.get("region_name")
                                             else [])
            regions = [r["name"] if isinstance(r, dict) else str(r) for r in regions]
            out.append((name, str(auth.get("auth_url", "")),
                        str(cfg.get("auth_type", "password")), ", ".join(regions),
                        str(auth.get("username") or auth.get("user_id") or
                            auth.get("application_credential_id") or ""),
                        str(auth.get("project_name") or auth.get("project_id") or "")))
        return out

    def _repr_html_(self) -> str:
        rows = ([escape_html(v) for v in row] for row in self.rows())
        source = f"from {escape_html(self.source)}" if self.source else "no clouds.yaml found"
        footer = footer_html(f"{source}; 'demo' is always available (the embedded demo cloud)")
        return section(self._text(), list_table(COLUMNS, rows) + footer)

    def __rich__(self) -> Any:
        from rich.table import Table
        from rich.text import Text

        table = Table(caption=f"from {self.source}" if self.source else "no clouds.yaml found",
                      caption_justify="left")
        for column in COLUMNS:
            table.add_column(column)
        for row in self.rows():
            table.add_row(*(Text(printable(v)) for v in row))
        return table

    def _text(self) -> str:
        return "\n".join("  ".join(row) for row in [COLUMNS, *self.rows()])

    def __repr__(self) -> str:
        return self._text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self._text())
