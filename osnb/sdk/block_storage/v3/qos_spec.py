"""QoS specs (Cinder ``/qos-specs``, admins) and the volume types they apply to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["QoSSpec", "QoSSpecAssociation"]


class QoSSpec(Resource):
    """A named set of limits (``specs``) applied by its ``consumer`` (``front-end``: the
    hypervisor, ``back-end``: the storage, ``both``). A create's other keyword
    attributes become specs: ``create_qos_spec(name="gold", total_iops_sec="5000")``."""

    resource_key = "qos_specs"
    resources_key = "qos_specs"
    base_path = "/qos-specs"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    free_form = True
    query = Query("name", "project_id", "sort_key", "sort_dir", "sort", "offset")

    consumer: str | None = prop("consumer")
    specs: dict | None = prop("specs")

    def _verb(self, session: Any, verb: str, **params: Any) -> None:
        session.get(f"{self._item_path()}/{verb}", params=params or None)

    def associate(self, session: Any, vol_type_id: str) -> None:
        """Apply the spec to a volume type (a type has at most one)."""
        self._verb(session, "associate", vol_type_id=vol_type_id)

    def disassociate(self, session: Any, vol_type_id: str) -> None:
        self._verb(session, "disassociate", vol_type_id=vol_type_id)

    def disassociate_all(self, session: Any) -> None:
        self._verb(session, "disassociate_all")

    def force_delete(self, session: Any) -> None:
        """Delete even while applied to types (``?force=true`` detaches it first)."""
        session.delete(self._item_path(), params={"force": "true"})

    def delete_keys(self, session: Any, keys: Iterable[str]) -> None:
        """Remove spec keys (404 if one is missing; then none is removed)."""
        self._action(session, {"keys": list(keys)}, path="delete_keys", method="PUT")


class QoSSpecAssociation(Resource):
    """A volume type a QoS spec applies to."""

    resources_key = "qos_associations"
    base_path = "/qos-specs/%(qos_spec_id)s/associations"
    service = "block-storage"
    allow_list = True

    qos_spec_id: str | None = uri("qos_spec_id")
    association_type: str | None = prop("association_type")
