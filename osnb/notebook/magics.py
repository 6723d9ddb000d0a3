"""IPython magics: ``%os_connect``, ``%os_clouds``, ``%os_disconnect``.

``%load_ext osnb`` registers them. User errors (an unknown cloud, refused credentials, an
unreachable Keystone) are ``UsageError``s: one line with the next step, no traceback.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display
from traitlets import Int, Unicode, observe
from traitlets.config import Configurable

from ..sdk import exceptions as exc
from .registry import REGISTRY, Registry, hint
from .render import DisplaySettings, settings
from .summary import summarize

__all__ = ["OsnbMagics", "load_ipython_extension"]


def _display_traits() -> type[Configurable]:
    """A Configurable whose traits are the display settings (:class:`DisplaySettings`):
    setting one (``%config OsnbMagics.display_limit = 50``, or a config file) sets
    ``osnb.notebook.settings``, which every renderer reads."""
    described = DisplaySettings.described()
    namespace: dict[str, Any] = {
        name: Int(getattr(settings, name), min=1, help=text).tag(config=True)
        for name, text in described.items()}

    def changed(self: Any, change: Any) -> None:
        setattr(settings, change["name"], change["new"])

    namespace["_display_setting_changed"] = observe(*described)(changed)
    return type("DisplayTraits", (Configurable,), namespace)


if TYPE_CHECKING:
    DisplayTraits = Configurable
else:
    DisplayTraits = _display_traits()


@magics_class
class OsnbMagics(Magics, DisplayTraits):
    """Connect to clouds from a notebook and keep the connections for the kernel's life."""

    default_cloud = Unicode("demo", help="Cloud used when none is named and OS_CLOUD is "
                            "unset.").tag(config=True)

    def __init__(self, shell: Any, registry: Registry | None = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self.registry = registry or REGISTRY

    @magic_arguments()
    @argument("cloud", nargs="?", help="cloud name (default: OS_CLOUD, then 'demo')")
    @argument("--region", help="region name")
    @argument("--project", help="project name or id to scope to")
    @argument("--as", dest="name", default="conn", help="variable to bind (default: conn)")
    @argument("--refresh", action="store_true", help="reconnect even if cached")
    @argument("--choose", action="store_true", help="pick cloud, region and project from menus")
    @line_magic
    def os_connect(self, line: str) -> Any:
        """Connect to a cloud, bind the Connection as ``conn`` and show who you are."""
        args = parse_argstring(self.os_connect, line)
        if args.choose:
            from .chooser import chooser

            return chooser(self, args.name)
        cloud = args.cloud or os.environ.get("OS_CLOUD") or self.default_cloud
        return self.connect_and_bind(cloud, region=args.region, project=args.project,
                                     name=args.name, refresh=args.refresh)

    def connect_and_bind(self, cloud: str, *, region: str | None = None,
                         project: str | None = None, name: str = "conn",
                         refresh: bool = False, **overrides: Any) -> Any:
        try:
            conn, cached = self.registry.connect(cloud, region=region, project=project,
                                                 refresh=refresh, **overrides)
            summary = summarize(conn, name, cached=cached)
        except Exception as err:  # noqa: BLE001 - turned into one line or re-raised
            raise UsageError(hint(cloud, err, project)) from None
        self.registry.bind(name, conn)
        self._user_ns()[name] = conn
        display(summary)
        return None

    def _user_ns(self) -> dict[str, Any]:
        if self.shell is None:
            raise UsageError("osnb magics need an IPython shell")
        namespace: dict[str, Any] = self.shell.user_ns
        return namespace

    @line_magic
    def os_clouds(self, line: str) -> Any:
        """List the configured clouds (credentials masked)."""
        from ..sdk.config import load_config, mask
        from .clouds import CloudTable

        try:
            clouds, path = load_config()
        except exc.ConfigError as err:
            raise UsageError(str(err)) from None
        rows = {name: mask(settings or {}) for name, settings in clouds.items()}
        display(CloudTable(rows, str(path) if path else None))

    @line_magic
    def os_disconnect(self, line: str) -> Any:
        """Forget a bound connection (``%os_disconnect conn``) or all of them."""
        name = line.strip() or None
        gone = self.registry.disconnect(name)
        if name and not gone:
            raise UsageError(f"no connection is bound to {name!r}; bound: "
                             f"{', '.join(self.registry.bound) or 'none'}")
        namespace = self._user_ns()
        for bound in gone:
            namespace.pop(bound, None)
        print("disconnected: " + (", ".join(gone) or "nothing was connected"))


def _complete_clouds(self: Any, event: Any) -> list[str]:
    from ..face import DEMO_CLOUDS
    from ..sdk.config import known_clouds

    try:
        names = known_clouds()
    except exc.ConfigError:
        names = []
    return sorted(set(names) | set(DEMO_CLOUDS))


def load_ipython_extension(ipython: Any) -> None:
    """Register the magics, cloud-name completion and, in a terminal, rich printers for
    resources and lists (``%load_ext osnb``)."""
    from .terminal import install_terminal_printers

    ipython.register_magics(OsnbMagics(ipython))
    install_terminal_printers(ipython)
    ipython.set_hook("complete_command", _complete_clouds, str_key="%os_connect")
