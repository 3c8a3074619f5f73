"""Schemathesis against the API's own OpenAPI schema: configuration, a check of our error
bodies, and a run that adds up what it generated and what failed.

The run is reproducible: a fixed seed and derandomized generation give the same cases on
every machine. `REDRESS_FUZZ_MAX_EXAMPLES` raises the examples per operation for a
longer pass than the one the test suite runs.
"""

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic

MAX_EXAMPLES_ENV = "REDRESS_FUZZ_MAX_EXAMPLES"
# About a minute a pass on a 2-core machine; the env var above runs longer ones.
DEFAULT_MAX_EXAMPLES = 25
SEED = 20260506

# What every response must honour; the others need state this run does not set up.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "problem_body",
)

# How the API refuses invalid input: Schemathesis's list, plus 413 for an oversize body.
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]


def max_examples() -> int:
    """Returns the examples per operation and mode: the env var's, or the default."""
    return int(os.environ.get(MAX_EXAMPLES_ENV) or DEFAULT_MAX_EXAMPLES)


@schemathesis.check
def problem_body(ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]) -> bool:
    """Every error is a JSON problem body naming the error; a 422 names each field."""
    if response.status_code < 400 or case.operation.path == "/healthz":
        return True  # /healthz answers its own report, with a 503, when degraded
    body = response.json()
    assert isinstance(body, dict), f"error body is not a JSON object: {response.text[:200]}"
    assert isinstance(body.get("error"), str) and body["error"], "error body has no `error` code"
    assert isinstance(body.get("message"), str) and body["message"], "error body has no `message`"
    if response.status_code == 422 and body["error"] == "validation_failed":
        fields = body.get("fields")
        assert fields, "a validation error names no field"
        assert all(f.get("field") and f.get("problem") for f in fields), f"unnamed field: {fields}"
    return True


@dataclass
class FuzzReport:
    """What a run generated and found: counts, and each distinct failure with its request."""

    operations: int = 0
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Responses by status class ("2xx", "4xx"...): how far the generated input got.
    statuses: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        answered = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
        return (
            f"schemathesis: {self.operations} operations, {self.cases} generated cases "
            f"({answered}), {len(self.failures)} failures, {len(self.errors)} errors"
        )


def fuzz_config(*, headers: dict[str, str], examples: int) -> schemathesis.Config:
    """Returns the run's configuration: every check above, positive and negative data."""
    checks: dict[str, Any] = {"enabled": False}
    checks |= {name: {"enabled": True} for name in CHECKS}
    # Invalid input may also be refused for its size (413), before anything parses it.
    checks["negative_data_rejection"]["expected-statuses"] = REJECTIONS
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            "workers": 1,
            # Updates wait for their workflow; on a busy CI machine that can pass 10 s.
            "request-timeout": 30,
            "generation": {
                "mode": "all",
                "max-examples": examples,
                "deterministic": True,
                # A failure is reported as found: shrinking it would replay slow requests
                # (ones that wait on workflows) for minutes.
                "no-shrink": True,
                # Nothing saved between runs: CI sees exactly what a laptop sees.
                "database": "none",
            },
            "checks": checks,
            # Stateful links need ids the run creates; the API tests cover those paths.
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {
                    # These read dates and times as pydantic does, Unix timestamps too
                    # ("until=0"), which `format: date` does not say; their owners decide.
                    "include-path-regex": "^/(analytics|mentions)",
                    "checks": {"negative_data_rejection": {"enabled": False}},
                }
            ],
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        }
    )


def run_fuzzing(
    schema_document: dict[str, Any], app: Any, config: schemathesis.Config
) -> FuzzReport:
    """Runs every phase against `app` (an ASGI app) and returns what it generated and found."""
    schema = schemathesis.openapi.from_dict(schema_document, config=config)
    schema.app = app
    statistic = Statistic()
    report = FuzzReport(operations=schema.statistic.operations.total)
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            statistic.on_scenario_finished(event.recorder)
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    report.statuses[f"{interaction.response.status_code // 100}xx"] += 1
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            report.errors.append(f"fatal: {event.exception!r}")
    report.cases = statistic.total_cases
    for label, grouped in statistic.failures.items():
        for group in grouped.values():
            found = "; ".join(f"{failure.title}: {failure.message}" for failure in group.failures)
            report.failures.append(f"{label}: {found}\n    {group.code_sample}")
    return report
