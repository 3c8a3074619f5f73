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

from tests.api.realistic_requests import RealisticRequests

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

# The reports, besides the breakdown, that read its filter (`complaint_filter`).
SHARED_FILTER_REPORTS = (
    r"^/analytics/(trend|service-levels|satisfaction|scoreboard|complaints\.csv)$"
)

# The operations that open a case: each valid request starts a workflow.
CASE_OPENINGS = r"^POST /(complaints|returns)$"

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
    # Responses, and 2xx responses, by operation group (the path's first segment).
    answered: Counter[str] = field(default_factory=Counter)
    succeeded: Counter[str] = field(default_factory=Counter)

    @property
    def success_share(self) -> float:
        """Returns the share of responses that were a 2xx (0 when nothing answered)."""
        return self.statuses["2xx"] / max(self.statuses.total(), 1)

    def summary(self) -> str:
        answered = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
        groups = [
            f"  {group}: {n} answered, {self.succeeded[group]} 2xx "
            f"({self.succeeded[group] / n:.0%})"
            for group, n in sorted(self.answered.items())
        ]
        return "\n".join(
            [
                f"schemathesis: {self.operations} operations, {self.cases} generated cases "
                f"({answered}; {self.success_share:.0%} 2xx), {len(self.failures)} failures, "
                f"{len(self.errors)} errors",
                *groups,
            ]
        )

    def count(self, path: str, status: int) -> None:
        """Counts a response with `status` to an operation on `path`."""
        group = "/" + path.split("/")[1]
        self.statuses[f"{status // 100}xx"] += 1
        self.answered[group] += 1
        self.succeeded[group] += 200 <= status < 300


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
            # Ids from earlier responses already feed the other phases (Schemathesis's
            # extra data sources), beside the cases opened before the run; chains of
            # linked calls would add workflows, and time, to every pass.
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {
                    # These read dates and times as pydantic does, Unix timestamps too
                    # ("until=0"), which `format: date` does not say; their owners decide.
                    "include-path-regex": "^/(analytics|mentions)",
                    "checks": {"negative_data_rejection": {"enabled": False}},
                },
                {
                    # A multipart file is bytes whatever they spell: the "number instead of
                    # a string" Schemathesis sends as an invalid `file` is a valid file on
                    # the wire (a text file reading "1.5"), which the upload may keep.
                    "include-path-regex": "^/complaints/[^/]+/evidence$",
                    "include-method": "POST",
                    "checks": {"negative_data_rejection": {"enabled": False}},
                },
                {
                    # The reports read one filter (`complaint_filter`); each of its invalid
                    # values is tried on the breakdown, and on the others only by the
                    # fuzzing phase, which also tries their own parameters' invalid values.
                    "include-path-regex": SHARED_FILTER_REPORTS,
                    "phases": {"coverage": {"generation": {"mode": "positive"}}},
                },
                {
                    # Every valid case opened is a workflow the workers run beside the
                    # fuzzing: each field's valid boundary values would open some 250 a
                    # pass, for about 20 s on a 2-core machine. The other phases open
                    # some 50 (generated returns all end one way: their lines name no SKU
                    # of their orders, and they are rejected).
                    "include-name-regex": CASE_OPENINGS,
                    "phases": {"coverage": {"generation": {"mode": "negative"}}},
                },
            ],
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        }
    )


def run_fuzzing(
    schema_document: dict[str, Any],
    app: Any,
    config: schemathesis.Config,
    realistic: RealisticRequests | None = None,
) -> FuzzReport:
    """Runs every phase against `app` (an ASGI app) and returns what it generated and found;
    `realistic` makes the valid cases' values ones a real client would send."""
    schema = schemathesis.openapi.from_dict(schema_document, config=config)
    schema.app = app
    if realistic is not None:
        realistic.register(schema)
    statistic = Statistic()
    report = FuzzReport(operations=schema.statistic.operations.total)
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            statistic.on_scenario_finished(event.recorder)
            for case_id, interaction in event.recorder.interactions.items():
                if interaction.response is not None:
                    case = event.recorder.cases[case_id].value
                    report.count(case.path, interaction.response.status_code)
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
