"""Nova server records → the frame ``to_pandas()`` makes, written by hand: the baseline.

What a careful analyst would write for this one resource, knowing its keys and types: one
list comprehension per column and the pandas constructor of its dtype, no generic
machinery, no checks for values of the wrong type. :func:`servers_frame` gives a frame
equal to ``records_to_frame(Server, records)`` on a healthy cloud's records
(``bench.bench_frames`` asserts it), so the two costs compare the same work.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

NAN = float("nan")

STRINGS = {
    "name": "name", "project_id": "tenant_id", "user_id": "user_id",
    "availability_zone": "OS-EXT-AZ:availability_zone", "compute_host": "OS-EXT-SRV-ATTR:host",
    "hypervisor_hostname": "OS-EXT-SRV-ATTR:hypervisor_hostname",
    "instance_name": "OS-EXT-SRV-ATTR:instance_name", "hostname": "OS-EXT-SRV-ATTR:hostname",
    "host_id": "hostId", "key_name": "key_name", "description": "description",
    "locked_reason": "locked_reason", "access_ipv4": "accessIPv4",
    "access_ipv6": "accessIPv6", "disk_config": "OS-DCF:diskConfig",
    "has_config_drive": "config_drive", "reservation_id": "OS-EXT-SRV-ATTR:reservation_id",
    "root_device_name": "OS-EXT-SRV-ATTR:root_device_name",
    "kernel_id": "OS-EXT-SRV-ATTR:kernel_id", "ramdisk_id": "OS-EXT-SRV-ATTR:ramdisk_id",
}
CATEGORIES = {"status": "status", "host_status": "host_status",
              "vm_state": "OS-EXT-STS:vm_state"}
INTEGERS = {"power_state": "OS-EXT-STS:power_state", "progress": "progress",
            "launch_index": "OS-EXT-SRV-ATTR:launch_index"}
TIMES = {"created_at": "created", "updated_at": "updated",
         "launched_at": "OS-SRV-USG:launched_at", "terminated_at": "OS-SRV-USG:terminated_at"}
OBJECTS = {"task_state": "OS-EXT-STS:task_state", "metadata": "metadata", "tags": "tags",
           "fault": "fault",
           "user_data": "OS-EXT-SRV-ATTR:user_data", "server_groups": "server_groups",
           "pinned_availability_zone": "pinned_availability_zone",
           "trusted_image_certificates": "trusted_image_certificates"}
ORDER = ["name", "status", "project_id", "user_id", "flavor_name", "vcpus", "ram_mb",
         "disk_gb", "image_id", "ip_addresses", "availability_zone", "compute_host",
         "hypervisor_hostname", "instance_name", "hostname", "host_id", "host_status",
         "vm_state", "task_state", "power_state", "created_at", "updated_at", "launched_at",
         "terminated_at", "key_name", "description", "metadata", "tags", "is_locked",
         "locked_reason", "security_group_names", "attached_volume_ids", "fault", "progress",
         "access_ipv4", "access_ipv6", "disk_config", "has_config_drive", "launch_index",
         "reservation_id", "root_device_name", "kernel_id", "ramdisk_id", "user_data",
         "server_groups", "pinned_availability_zone", "trusted_image_certificates",
         "scheduler_hints"]


def servers_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    # pandas pulls every key out of every record at C speed; the rest is per column.
    raw = pd.DataFrame(records, dtype=object)

    def col(key: str) -> Any:
        return raw[key].to_numpy(dtype=object) if key in raw else [NAN] * len(raw)

    data: dict[str, Any] = {}
    for column, key in STRINGS.items():
        data[column] = pd.array(col(key), dtype=object)
    for column, key in CATEGORIES.items():
        data[column] = pd.Categorical(col(key))
    for column, key in INTEGERS.items():
        data[column] = pd.array(col(key), dtype="Int64")
    for column, key in TIMES.items():
        data[column] = pd.to_datetime(pd.Series(col(key), dtype=object), utc=True,
                                      format="ISO8601").array
    for column, key in OBJECTS.items():
        data[column] = pd.array(col(key), dtype=object)
    data["is_locked"] = pd.array(col("locked"), dtype="boolean")
    data["scheduler_hints"] = pd.array(col("scheduler_hints"), dtype=object)
    flavors = [f if isinstance(f, dict) else {} for f in col("flavor")]
    data["flavor_name"] = pd.array([f.get("original_name") or f.get("name") for f in flavors],
                                   dtype=object)
    data["vcpus"] = pd.array([f.get("vcpus") for f in flavors], dtype="Int64")
    data["ram_mb"] = pd.array([f.get("ram") for f in flavors], dtype="Int64")
    data["disk_gb"] = pd.array([f.get("disk") for f in flavors], dtype="Int64")
    data["image_id"] = pd.array([i.get("id") if isinstance(i, dict) else None
                                 for i in col("image")], dtype=object)
    data["ip_addresses"] = pd.array(
        [[a["addr"] for net in nets.values() for a in net] if isinstance(nets, dict) else []
         for nets in col("addresses")], dtype=object)
    data["security_group_names"] = pd.array(
        [[g["name"] for g in groups] if isinstance(groups, list) else None
         for groups in col("security_groups")], dtype=object)
    data["attached_volume_ids"] = pd.array(
        [[v["id"] for v in volumes] if isinstance(volumes, list) else None
         for volumes in col("os-extended-volumes:volumes_attached")], dtype=object)
    index = pd.Index(col("id"), name="id", dtype=object)
    return pd.DataFrame(data, index=index, columns=ORDER)
