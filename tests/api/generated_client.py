"""A typed client generated from the API's served OpenAPI document, as a platform makes one.

openapi-python-client writes it into a directory of its own; any warning it prints means
some route or model is missing from the client, so generation fails on any output but its
one progress line.
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
GENERATION_TIMEOUT_SECONDS = 120


def generate_client(document: bytes, directory: Path, package: str) -> ModuleType:
    """Returns the client package `package`, generated in `directory` from `document` (an
    OpenAPI document); fails on any warning the generator prints."""
    directory.mkdir(parents=True, exist_ok=True)
    schema = directory / "openapi.json"
    schema.write_bytes(document)
    output = directory / package
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(schema)]
        + ["--output-path", str(output), "--meta", "none"],
        capture_output=True,
        text=True,
        timeout=GENERATION_TIMEOUT_SECONDS,
        # Its post-generation hooks run ruff, which sits beside it in this environment.
        env=os.environ | {"PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ['PATH']}"},
    )
    said = (done.stdout + done.stderr).strip()
    assert done.returncode == 0, said
    assert said == f"Generating {output}", f"the generator warned:\n{said}"
    for name in [name for name in sys.modules if name.split(".")[0] == package]:
        del sys.modules[name]  # an earlier test's client, generated from another document
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(directory))


def undeclared_fields(parsed: Any, path: str = "$") -> list[str]:
    """Returns the path of every field in `parsed` (a generated model, or lists of them)
    that the API sent but the schema does not declare: the client keeps those untyped in
    `additional_properties`."""
    if isinstance(parsed, list):
        return [
            found
            for i, item in enumerate(parsed)
            for found in undeclared_fields(item, f"{path}[{i}]")
        ]
    if not attrs.has(type(parsed)):
        return []
    declared = [f.name for f in attrs.fields(type(parsed)) if f.name != "additional_properties"]
    if not declared:  # a free-form map in the schema: its keys are its content
        return []
    extra = getattr(parsed, "additional_properties", {})
    undeclared = [f"{path}.{key}" for key in extra]
    for name in declared:
        undeclared += undeclared_fields(getattr(parsed, name), f"{path}.{name}")
    return undeclared


def webhook_payload_models(document: dict[str, Any], models: ModuleType) -> dict[str, type]:
    """Returns the generated model of each event type the document's `webhooks` list, as a
    platform's handler would pick one by the body's `type`."""
    found: dict[str, type] = {}
    for event_type, operations in document["webhooks"].items():
        schema = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
        found[event_type] = getattr(models, schema["$ref"].rsplit("/", 1)[1])
    return found
