"""The customer's pages over a real Temporal dev server and real workers, on a fresh store
per test: the console tests' fixtures, in process (`api`) or served over HTTP for a
browser (`served_api`)."""

from tests.console.conftest import api, served_api

__all__ = ["api", "served_api"]
