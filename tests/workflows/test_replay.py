"""Replays recorded histories against today's workflows: a change that would break
running complaints, returns or surveys fails here. Re-record with `python -m tests.histories.record`
only after a deliberate, patched change (see docs/safe-workflow-changes.md)."""

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner
from temporalio.workflow import NondeterminismError

from tests.workflows.changed_complaint import TimerFirstComplaintWorkflow
from workflows.case_journal import PROJECT_BEFORE_NOTIFYING
from workflows.complaint_merge import LINK_DUPLICATES_AT_INTAKE
from workflows.complaint_recovery import OPEN_SERVICE_RECOVERY
from workflows.complaint_resolution import RESOLVE_BESIDE_THE_LOOP
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow
from workflows.service_recovery import ServiceRecoveryWorkflow
from workflows.surveys import SurveyWorkflow

HISTORIES = Path(__file__).parent.parent / "histories"
# Histories recorded by today's code, and in folders those recorded before a patch, which
# keep guarding the workflows that were running when it shipped.
RECORDED = sorted(str(path.relative_to(HISTORIES)) for path in HISTORIES.rglob("*.json"))
MINIMUM_HISTORIES = 6
# Recorded before `project-before-notifying` (and, for this one, before the survey).
BEFORE_PROJECT_FIRST = "before-project-first/complaint-happy.json"
# How the replayer reports a workflow task that failed (rather than a command mismatch).
WORKFLOW_TASK_FAILED = (RuntimeError, "Workflow activation completion failed")


def _history(name: str) -> WorkflowHistory:
    # The workflows never read their own id, so the file name stands in for it.
    return WorkflowHistory.from_json(f"replay-{Path(name).stem}", (HISTORIES / name).read_text())


def test_every_main_path_has_a_recorded_history() -> None:
    current = [name for name in RECORDED if "/" not in name]
    assert len(current) >= MINIMUM_HISTORIES, (
        f"{HISTORIES} holds {len(current)} histories, expected at least {MINIMUM_HISTORIES}:"
        " run `python -m tests.histories.record`"
    )


@pytest.mark.parametrize("name", RECORDED)
async def test_recorded_history_replays(name: str) -> None:
    replayer = Replayer(
        workflows=[ComplaintWorkflow, ReturnWorkflow, SurveyWorkflow, ServiceRecoveryWorkflow],
        data_converter=pydantic_data_converter,
    )
    await replayer.replay_workflow(_history(name))


async def test_replay_catches_a_changed_workflow() -> None:
    replayer = Replayer(
        workflows=[TimerFirstComplaintWorkflow], data_converter=pydantic_data_converter
    )
    with pytest.raises(NondeterminismError):
        await replayer.replay_workflow(_history(BEFORE_PROJECT_FIRST))


async def test_starting_the_survey_without_its_patch_would_break_running_complaints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What `workflow.patched("survey-after-close")` prevents: a complaint that was running
    # when the survey shipped replays into a child-workflow start its history never had.
    await _replay_fails_when_patched_answers(
        monkeypatch, lambda patch_id: True, BEFORE_PROJECT_FIRST
    )


@pytest.mark.parametrize(
    ("history", "project_first"),
    [("complaint-surveyed.json", False), (BEFORE_PROJECT_FIRST, True)],
)
async def test_projecting_first_without_its_patch_would_break_running_cases(
    monkeypatch: pytest.MonkeyPatch, history: str, project_first: bool
) -> None:
    # Both ways: a case recorded since `project-before-notifying` replays only because
    # `patched` says True for it, and one recorded before (with no patch at all) only
    # because it says False. Here it says the opposite; every other patch answers as it
    # did when the history was recorded.
    def patched(patch_id: str) -> bool:
        if patch_id == LINK_DUPLICATES_AT_INTAKE:
            return False  # newer than both histories
        return project_first if patch_id == PROJECT_BEFORE_NOTIFYING else not project_first

    await _replay_fails_when_patched_answers(monkeypatch, patched, history)


@pytest.mark.parametrize(
    ("history", "beside_the_loop"),
    [
        ("complaint-returned.json", False),
        ("before-resolve-beside-the-loop/complaint-compensated.json", True),
    ],
)
async def test_resolving_beside_the_loop_without_its_patch_would_break_running_complaints(
    monkeypatch: pytest.MonkeyPatch, history: str, beside_the_loop: bool
) -> None:
    # A complaint recorded since `resolve-beside-the-loop` interleaves the loop's timers
    # and messages with the saga's activities; one recorded before ran them in the loop.
    # Each replays only down its own path; the older patches answer True, as they did
    # when both were recorded.
    def patched(patch_id: str) -> bool:
        if patch_id == LINK_DUPLICATES_AT_INTAKE:
            return False  # newer than both histories
        return beside_the_loop if patch_id == RESOLVE_BESIDE_THE_LOOP else True

    await _replay_fails_when_patched_answers(monkeypatch, patched, history)


@pytest.mark.parametrize(
    ("history", "link_duplicates"),
    [("complaint-surveyed.json", True), ("complaint-merge-survivor.json", False)],
)
async def test_linking_duplicates_without_its_patch_would_break_running_complaints(
    monkeypatch: pytest.MonkeyPatch, history: str, link_duplicates: bool
) -> None:
    # A complaint recorded before `link-duplicates-at-intake` went from classifying to
    # routing; one recorded since looks for the open complaint it repeats in between (and
    # signals it). Each replays only down its own path; the older patches answer True,
    # as they did when both were recorded.
    def patched(patch_id: str) -> bool:
        return link_duplicates if patch_id == LINK_DUPLICATES_AT_INTAKE else True

    # Local activities are matched to the history's markers by their order, so the
    # routing step reads the lookup's result (or the other way round): the workflow task
    # fails, which on a worker holds the complaint as a nondeterminism error would.
    await _replay_fails_when_patched_answers(
        monkeypatch, patched, history, failure=WORKFLOW_TASK_FAILED
    )


@pytest.mark.parametrize(
    ("history", "open_recovery"),
    [("complaint-needs-person.json", True), ("complaint-recovery-opened.json", False)],
)
async def test_opening_recovery_without_its_patch_would_break_running_complaints(
    monkeypatch: pytest.MonkeyPatch, history: str, open_recovery: bool
) -> None:
    # A complaint recorded before `open-service-recovery` undid compensation and opened no
    # task; one recorded since starts the task's workflow as a child. Each replays only
    # down its own path; every other patch answers as it did when the history was recorded.
    recorded = _patches_in(history)

    def patched(patch_id: str) -> bool:
        return open_recovery if patch_id == OPEN_SERVICE_RECOVERY else patch_id in recorded

    await _replay_fails_when_patched_answers(monkeypatch, patched, history)


def _patches_in(history: str) -> set[str]:
    """Returns the ids of the patches `history` recorded a marker for."""
    events = json.loads((HISTORIES / history).read_text())["events"]
    markers = [
        event["markerRecordedEventAttributes"]["details"]["patch-data"]["payloads"][0]
        for event in events
        if event.get("markerRecordedEventAttributes", {}).get("markerName") == "core_patch"
    ]
    return {json.loads(base64.b64decode(marker["data"]))["id"] for marker in markers}


async def _replay_fails_when_patched_answers(
    monkeypatch: pytest.MonkeyPatch,
    patched: Callable[[str], bool],
    history: str,
    *,
    failure: tuple[type[Exception], str | None] = (NondeterminismError, None),
) -> None:
    """Asserts that the complaint `history` fails to replay, with `failure` (the error's
    type and, when given, a pattern its message matches), when `workflow.patched` answers
    as `patched` does."""
    monkeypatch.setattr(workflow, "patched", patched)
    replayer = Replayer(
        workflows=[ComplaintWorkflow],
        data_converter=pydantic_data_converter,
        # Unsandboxed, so the workflow sees the patched-out `patched` above.
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    error, message = failure
    with pytest.raises(error, match=message):
        await replayer.replay_workflow(_history(history))
