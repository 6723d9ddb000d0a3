"""What Glance's images and its schemas agree on: the mount, the API version, the enums."""

from __future__ import annotations

__all__ = ["CONTAINER_FORMATS", "CURRENT", "DISK_FORMATS", "PREFIX", "READ_ONLY", "VISIBILITIES"]

PREFIX = "/image"
CURRENT = (2, 17)
VISIBILITIES = ("public", "private", "shared", "community")
DISK_FORMATS = ("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop")
CONTAINER_FORMATS = ("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed")
READ_ONLY = ("id", "status", "created_at", "updated_at", "self", "file", "schema",
             "checksum", "size", "virtual_size", "os_hash_algo", "os_hash_value",
             "direct_url", "locations")
