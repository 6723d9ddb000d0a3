"""Image data as Glance keeps it: the bytes, what they are, and what their hashes say.

The demo cloud holds the bytes of what was uploaded, staged or imported
(``image_data`` and ``image_staging``, by image id); the seeded images carry sizes and
hashes but no bytes (their download answers 204, as Glance does when its store has no
data for an image). Glance inspects what it is sent: data of another format than the
image's ``disk_format`` is refused (415), a qcow2's virtual size is read from its header.
"""

from __future__ import annotations

import hashlib

from ...http import ApiError
from ...store import Record, Store
from .formats import GLANCE

__all__ = ["DEFAULT_STORE", "STORES", "blobs", "check_format", "detect", "keep",
           "virtual_size"]

STORES: list[Record] = [
    {"id": "ceph", "type": "rbd", "description": "Replicated Ceph pool shared with the "
     "compute hosts", "weight": 200,
     "properties": {"pool": "images", "chunk_size": 8388608, "thin_provisioning": False,
                    "fsid": "4b5c8c0a-1d9f-4c3e-9a57-4cfe2a8bbd11"}},
    {"id": "fs", "type": "file", "description": "Local file store on the image hosts",
     "default": "true", "weight": 100,
     "properties": {"datadir": "/var/lib/glance/images", "chunk_size": 65536,
                    "thin_provisioning": False}},
]
"""The demo's stores (``/v2/info/stores``); ``fs`` is the default, as in a one-store
Glance, so an upload's ``stores`` is ``"fs"``."""
DEFAULT_STORE = "fs"
_CHECKED = ("raw", "qcow2", "vmdk", "vhdx", "iso")
"""The disk formats whose data Glance's format inspector recognises and checks."""


def blobs(store: Store, name: str) -> dict[str, bytes]:
    """The bytes kept by image id: ``data`` (uploaded or imported) or ``staging``."""
    kept: dict[str, bytes] = store.meta.setdefault("_glance_" + name, {})
    return kept


def detect(data: bytes) -> str:
    """The format ``data`` is, by its magic: qcow2, vmdk, vhdx, iso, else raw."""
    if data[:4] == b"QFI\xfb":
        return "qcow2"
    if data[:4] == b"KDMV":
        return "vmdk"
    if data[:8] == b"vhdxfile":
        return "vhdx"
    if data[0x8001:0x8006] == b"CD001":
        return "iso"
    return "raw"


def virtual_size(disk_format: str | None, data: bytes) -> int:
    """The disk's size as a guest sees it: a qcow2's header field, else the data's size."""
    if disk_format == "qcow2" and len(data) >= 32:
        return int.from_bytes(data[24:32], "big")
    return len(data)


def check_format(image: Record, data: bytes) -> None:
    """Glance's 415 when the data is not what the image's ``disk_format`` says."""
    declared = image.get("disk_format")
    found = detect(data)
    if declared in _CHECKED and found != declared:
        raise ApiError(415, f"Image disk_format {declared} does not match stream data "
                            f"{found}")


def keep(store: Store, image: Record, data: bytes, stores: list[str] | None = None) -> None:
    """Store ``data`` as the image's bytes: size, md5 ``checksum``, sha512
    ``os_hash_value``, ``virtual_size`` and ``stores``; the image becomes active."""
    blobs(store, "data")[image["id"]] = data
    image["size"] = len(data)
    image["checksum"] = hashlib.md5(data, usedforsecurity=False).hexdigest()
    image["os_hash_algo"] = "sha512"
    image["os_hash_value"] = hashlib.sha512(data).hexdigest()
    image["virtual_size"] = virtual_size(image.get("disk_format"), data)
    image["stores"] = ",".join(stores or [DEFAULT_STORE])
    image["status"] = "active"
    image["updated_at"] = GLANCE.stamp()
