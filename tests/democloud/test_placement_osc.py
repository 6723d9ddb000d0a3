"""osc-placement (python-openstackclient's placement plugin) against the demo cloud: the
commands an operator runs to shape placement."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("osc_placement")


def _osc(*args: str, mv: str = "1.39", output: bool = True) -> Any:
    exe = str(Path(sys.executable).parent / "openstack")
    cmd = [exe, "--os-cloud", "demo", "--os-placement-api-version", mv, *args]
    out = subprocess.run(cmd + (["-f", "json"] if output else []), capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if output and out.stdout.strip() else None


def test_classes_traits_providers_and_allocations(os_config: Path, conn: Any) -> None:
    """Each command once (the CLI takes seconds to start); checks and cleanup through the
    SDK."""
    p = conn.placement
    tag = uuid.uuid4().hex[:6].upper()
    rc, trait = f"CUSTOM_OSC_RC_{tag}", f"CUSTOM_OSC_TRAIT_{tag}"
    _osc("resource", "class", "create", rc, output=False)
    _osc("trait", "create", trait, output=False)
    assert p.get_resource_class(rc).name == rc and p.get_trait(trait).name == trait
    rp = _osc("resource", "provider", "create", f"osc-rp-{tag}")
    consumer, aggregate = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        p.set_resource_provider_inventories(rp["uuid"], {"VCPU": {"total": 8},
                                                         rc: {"total": 2}}, 0)
        traits = _osc("resource", "provider", "trait", "set", rp["uuid"], "--trait", trait)
        assert [t["name"] for t in traits] == [trait]
        aggs = _osc("resource", "provider", "aggregate", "set", rp["uuid"],
                    "--aggregate", aggregate, "--generation", "2")
        assert [a["uuid"] for a in aggs] == [aggregate]
        held = _osc("resource", "provider", "allocation", "set", consumer,
                    "--allocation", f"rp={rp['uuid']},VCPU=2,{rc}=1",
                    "--project-id", "p-osc", "--user-id", "u-osc", "--consumer-type",
                    "INSTANCE")
        assert [(a["resource_provider"], a["resources"]) for a in held] == \
            [(rp["uuid"], {"VCPU": 2, rc: 1})]
        assert p.fetch_resource_provider_usages(rp["uuid"]).usages == {"VCPU": 2, rc: 1}
        found = _osc("allocation", "candidate", "list", "--resource", "VCPU=6",
                     "--required", trait, "--member-of", aggregate)
        assert [c["resource provider"] for c in found] == [rp["uuid"]]
    finally:
        p.delete_allocation(consumer)
        p.delete_resource_provider(rp["uuid"])
    p.delete_trait(trait)
    p.delete_resource_class(rc)
