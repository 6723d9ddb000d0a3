"""Known, justified differences between an api-ref sample and what osnb reads.

Each entry names the class and the wire key (or attribute) and says why. An entry no
sample needs fails the run (``test_allowlist_entries_are_used``), so the list shrinks
when a reason goes away.
"""

from __future__ import annotations

import fnmatch
from typing import Any

__all__ = ["DIFFERENT", "UNDECLARED", "different", "undeclared", "used"]

UNDECLARED: dict[tuple[str, str], str] = {
    ("ServerAction", "instance_uuid"):
        "the server is the URI's server_id (as openstacksdk); the body repeats it",
    ("VolumeAttachment", "serverId"):
        "the server is the URI's server_id (as openstacksdk); the body repeats it",
    ("VolumeAttachment", "id"):
        "Nova's attachment id is the volume's id; osnb (as openstacksdk) addresses the "
        "attachment by volume_id",
    ("Keypair", "id"):
        "Nova's internal integer id (create/show only); a keypair is addressed by its name",
    ("Quota*Set*", "*___*"):
        "Cinder's per-volume-type quotas (volumes_<type>), of a project or a quota class: "
        "their names depend on the cloud's types, so they stay in extra",
    ("QoSSpec", "delay"):
        "Cinder's PUT /qos-specs/{id} answers only the specs it set, as free-form keys "
        "({'delay': '1'}); update_qos_spec reads the spec back, and such keys stay in extra",
    ("Member", "image_id"):
        "the image is the URI's image_id (as openstacksdk); the body repeats it",
    ("ImageTasks", "image_id"):
        "the image is the URI's image_id; the body repeats it",
    ("ImageTasks", "request-id"):
        "the api-ref's sample only: Glance sends request_id (its _task_format), read as "
        "request_id (as openstacksdk)",
    ("ImageTasks", "user"):
        "the api-ref's sample only: Glance sends user_id (its _task_format), read as "
        "user_id (as openstacksdk)",
    ("LocalIPAssociation", "local_ip_id"):
        "the local IP is the URI's local_ip_id (as openstacksdk); the body repeats it",
    ("DefaultSecurityGroupRule", "used_in_default_non_sg"):
        "a typo in neutron-lib's default-security-group-rules list sample; the rule sends "
        "used_in_non_default_sg everywhere else",
    ("SecurityGroupRule", "revisio[[]n_number"):
        "a typo in neutron-lib's security-group-create sample; the rule sends "
        "revision_number everywhere else",
    ("TapFlow", "[A-Z]*"):
        "neutron-lib's tap-flow list sample shows the CLI's column titles (ID, Tenant, Name, "
        "Status, Direction), not the API's keys; the show and create samples send id, "
        "tenant_id, name, status, direction",
}
"""(class, wire key; either may be an fnmatch pattern) a sample sends that no attribute
declares; the value stays in ``Resource.extra``."""

DIFFERENT: dict[tuple[str, str, Any], str] = {
    ("Flavor", "swap", ""):
        "before 2.75 Nova sends '' for no swap; osnb returns it as sent rather than "
        "inventing a 0 (Flavor negotiates 2.75, where Nova sends 0)",
}
"""(class, attribute, the value the sample sends) that osnb deliberately reads otherwise."""

used: set[tuple[Any, ...]] = set()


def undeclared(cls: str, key: str) -> bool:
    """Whether (cls, key) is allowed to go unread; notes the entry as used."""
    for entry in UNDECLARED:
        if fnmatch.fnmatchcase(cls, entry[0]) and fnmatch.fnmatchcase(key, entry[1]):
            used.add(entry)
            return True
    return False


def different(cls: str, name: str, sent: Any) -> bool:
    """Whether attribute ``name`` of ``cls`` may differ when the sample sends ``sent``."""
    for entry in DIFFERENT:
        if entry[:2] == (cls, name) and entry[2] == sent and type(entry[2]) is type(sent):
            used.add(entry)
            return True
    return False
