"""OS-FEDERATION: identity providers and their protocols, mappings, service providers,
the projects and domains a federated token may reach, and the SAML2 metadata document.

Identity providers, mappings and service providers are created with ``PUT`` to the id
the caller chooses (409 when it is taken). An identity provider registered without a
``domain_id`` gets a domain of its own, as Keystone makes one; its ``remote_ids`` are
unique across providers. A protocol names a mapping that must exist (400 otherwise);
deleting a provider deletes its protocols.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, Query, check_body
from ...http import ApiError, store_of
from ...store import Record
from ._common import V3, Resource, base_url, hex_id, purge, refuse_additional
from ._resources import DOMAINS

__all__ = ["IDENTITY_PROVIDERS", "MAPPINGS", "PROTOCOLS", "SERVICE_PROVIDERS", "routes"]

FED = "OS-FEDERATION"


@dataclass(eq=False)
class PutCreated(Resource):
    """A Keystone collection whose records are created by ``PUT`` to their chosen id.

    The engine creates with ``POST`` to the collection; this adds the ``PUT /{id}`` route
    (beside the engine's ``GET``/``PATCH``/``DELETE`` on the same path)."""

    allow_create: bool = False
    additional: bool = False
    """Whether a body may carry keys no field declares (ignored: a mapping's), rather than
    be refused (Keystone's other federation schemas)."""

    def on_put(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        """Check or complete the new record (the ``on_create`` of a ``PUT``)."""

    async def put(self, request: Request) -> Response:
        ctx = self.context(request)
        self.authorize(ctx, "create")
        raw = await self.body(request)
        values = check_body(self.dialect, self.fields, raw, create=True,
                            extra=lambda _k: True)
        record = self.new_record(ctx, values)
        record["id"] = request.path_params["id"]
        if record["id"] in self.records(ctx.store):
            raise self.dialect.conflict(self.singular, "Duplicate entry")
        self.on_put(ctx, record, raw)
        self.records(ctx.store)[record["id"]] = record
        return self.respond(ctx, self.wrap(self.render(ctx, record)), 201)

    async def body(self, request: Request) -> dict[str, Any]:
        raw = await super().body(request)
        if self.additional:
            return {k: v for k, v in raw.items() if k in self.fields}
        update = request.method == "PATCH"
        refuse_additional(self.singular, [k for k, f in self.fields.items() if not (
            f.read_only or (update and f.create_only))], raw)
        return raw

    def routes(self, prefix: str = "") -> list[BaseRoute]:
        return [*super().routes(prefix),
                Route(f"{prefix}/{self.path}/{{id}}", self.put, methods=["PUT"])]


# --- mappings -----------------------------------------------------------------------------

def _check_rules(rules: Any) -> None:
    """A mapping's rules as Keystone's schema reads them: each has ``local`` and
    ``remote`` lists."""
    if not isinstance(rules, list) or not rules:
        raise ApiError(400, f"{rules!r} is not of type 'array'\n")
    for rule in rules:
        if not isinstance(rule, dict):
            raise ApiError(400, f"{rule!r} is not of type 'object'\n")
        for key in ("local", "remote"):
            if key not in rule:
                raise ApiError(400, f"'{key}' is a required property\n")
            if not isinstance(rule[key], list):
                raise ApiError(400, f"{rule[key]!r} is not of type 'array'\n")


class _Mappings(PutCreated):
    def on_put(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        _check_rules(record.get("rules"))
        record["schema_version"] = record.get("schema_version") or "1.0"

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        if "rules" in changes:
            _check_rules(changes["rules"])


MAPPINGS = _Mappings("mapping", "mappings", path=f"{FED}/mappings", table="fed_mappings",
                     fields={"rules": Field(type="list", required=True),
                             "schema_version": Field(nullable=True, default="1.0")},
                     additional=True,
                     rules={"list": "list_mappings", "show": "get_mapping"})


# --- identity providers and their protocols -----------------------------------------------

class _IdentityProviders(PutCreated):
    def _remote_ids(self, ctx: Ctx, ident: str, remote_ids: Any) -> None:
        taken = {r for p in self.records(ctx.store).values() if p["id"] != ident
                 for r in p.get("remote_ids") or []}
        if any(r in taken for r in remote_ids or []):
            # Keystone 30 words it so, naming no id.
            raise self.dialect.conflict(self.singular, "Duplicate remote ID: None")

    def on_put(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        self._remote_ids(ctx, record["id"], record.get("remote_ids"))
        if record.get("domain_id") is None:
            did = hex_id(ctx.store)
            DOMAINS.records(ctx.store)[did] = {
                "id": did, "name": did, "enabled": True, "tags": [], "options": {},
                "description": "Auto generated federated domain for Identity Provider: "
                               + record["id"]}
            record["domain_id"] = did
        else:
            DOMAINS.lookup(ctx.store, record["domain_id"])

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        if "remote_ids" in changes:
            self._remote_ids(ctx, record["id"], changes["remote_ids"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        purge(PROTOCOLS.records(ctx.store), lambda _, p: p["idp_id"] == record["id"])

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """A listed provider links to its protocols; one shown, made or changed does not
        (Keystone 30 adds the link in its listing alone, ``keystone/api/os_federation.py``
        ``IdentityProvidersResource.get``)."""
        super().shape(ctx, record)
        if ctx.request.method in ("GET", "HEAD") and ctx.request.url.path.endswith(
                "/identity_providers"):
            record["links"]["protocols"] = record["links"]["self"] + "/protocols"
        return record


IDENTITY_PROVIDERS = _IdentityProviders(
    "identity_provider", "identity_providers", path=f"{FED}/identity_providers",
    table="identity_providers", fields={
        "domain_id": Field(nullable=True, default=None, create_only=True, filter="exact"),
        "description": Field(nullable=True, default=None),
        "enabled": Field(type="bool", default=False),
        "remote_ids": Field(type="list", items="str", nullable=True, default=[]),
        "authorization_ttl": Field(type="int", nullable=True, default=None, minimum=0),
    }, filters={}, rules={"list": "list_identity_providers",
                          "show": "get_identity_provider"})


class _Protocols(PutCreated):
    """``/OS-FEDERATION/identity_providers/{idp_id}/protocols``: keyed ``idp|protocol``."""

    def key_of(self, record: Record) -> str:
        return f"{record['idp_id']}|{record['id']}"

    def _idp(self, ctx: Ctx) -> str:
        return str(IDENTITY_PROVIDERS.lookup(ctx.store, ctx.request.path_params["idp"])["id"])

    def get(self, ctx: Ctx, ident: str) -> Record:
        self.authorize(ctx, "show")
        idp = self._idp(ctx)
        return self.lookup(ctx.store, f"{idp}|{ident}")

    def lookup(self, store: Any, ident: str) -> Record:
        record = self.records(store).get(ident)
        if record is None:
            raise self.dialect.not_found("federated protocol", ident.split("|")[-1])
        return record

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record]:
        idp = self._idp(ctx)
        return [p for p in self.records(ctx.store).values() if p["idp_id"] == idp]

    def _mapping(self, ctx: Ctx, mapping_id: Any) -> None:
        if mapping_id not in MAPPINGS.records(ctx.store):
            raise ApiError(400, f"Invalid mapping id: {mapping_id}")

    async def put(self, request: Request) -> Response:
        ctx = self.context(request)
        self.authorize(ctx, "create")
        idp = self._idp(ctx)
        raw = await self.body(request)
        values = check_body(self.dialect, self.fields, raw, create=True)
        record = self.new_record(ctx, values)
        record.update(id=request.path_params["id"], idp_id=idp)
        if self.key_of(record) in self.records(ctx.store):
            raise self.dialect.conflict("federation_protocol", "Duplicate entry")
        self._mapping(ctx, record["mapping_id"])
        self.records(ctx.store)[self.key_of(record)] = record
        return self.respond(ctx, self.wrap(self.render(ctx, record)), 201)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        if "mapping_id" in changes:
            self._mapping(ctx, changes["mapping_id"])

    def shape(self, ctx: Ctx, record: Record) -> Record:
        idp_url = f"{base_url(ctx.request)}{V3}/{FED}/identity_providers/{record['idp_id']}"
        out = {"id": record["id"], "mapping_id": record["mapping_id"]}
        if "id" not in ctx.request.path_params:  # a list says more than a show
            out.update(idp_id=record["idp_id"],
                       remote_id_attribute=record.get("remote_id_attribute"))
        out["links"] = {"self": f"{idp_url}/protocols/{record['id']}",
                        "identity_provider": idp_url}
        return out


PROTOCOLS = _Protocols("protocol", "protocols", table="fed_protocols", fields={
    "mapping_id": Field(required=True),
    "remote_id_attribute": Field(nullable=True, max_length=64),
}, rules={"list": "list_protocols", "show": "get_protocol"})


# --- service providers --------------------------------------------------------------------

SERVICE_PROVIDERS = PutCreated(
    "service_provider", "service_providers", path=f"{FED}/service_providers",
    table="service_providers", fields={
        "auth_url": Field(required=True, max_length=256),
        "sp_url": Field(required=True, max_length=256),
        "description": Field(nullable=True, default=None),
        "enabled": Field(type="bool", default=False),
        "relay_state_prefix": Field(default="ss:mem:"),
    }, rules={"list": "list_service_providers", "show": "get_service_provider"})


# --- metadata -----------------------------------------------------------------------------

_METADATA = """<?xml version='1.0' encoding='UTF-8'?>
<ns0:EntityDescriptor xmlns:ns0="urn:oasis:names:tc:SAML:2.0:metadata" \
xmlns:ns1="http://www.w3.org/2000/09/xmldsig#" entityID="{root}/{fed}/saml2/idp" \
validUntil="2036-01-01T00:00:00Z">
  <ns0:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <ns0:KeyDescriptor use="signing"><ns1:KeyInfo><ns1:X509Data><ns1:X509Certificate>\
</ns1:X509Certificate></ns1:X509Data></ns1:KeyInfo></ns0:KeyDescriptor>
    <ns0:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</ns0:NameIDFormat>
    <ns0:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" \
Location="{root}/auth/{fed}/saml2/ecp"/>
  </ns0:IDPSSODescriptor>
</ns0:EntityDescriptor>
"""


async def saml2_metadata(request: Request) -> Response:
    """Keystone as a SAML2 identity provider describes itself (a static document here:
    the demo cloud signs no assertions)."""
    store_of(request)
    text = _METADATA.format(root=base_url(request) + V3, fed=FED)
    return Response(text, media_type="text/xml")


def routes() -> list[BaseRoute]:
    """Routes relative to ``/identity``; the projects and domains are served by
    :mod:`._tokens` (the same answer as ``/v3/auth/projects``)."""
    out: list[BaseRoute] = [Route(f"/v3/{FED}/saml2/metadata", saml2_metadata,
                                  methods=["GET"])]
    for coll in (MAPPINGS, IDENTITY_PROVIDERS, SERVICE_PROVIDERS):
        out += coll.routes("/v3")
    out += PROTOCOLS.routes(f"/v3/{FED}/identity_providers/{{idp}}")
    return out
