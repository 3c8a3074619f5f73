"""The escalations board: open complaints by tier with their deadlines, a link to each
workflow in the Temporal UI, and reassigning (supervisors only)."""

import re

import pytest

from domain.access import Role
from tests.api.support import Api, intake
from tests.console.conftest import TEMPORAL_UI_URL
from tests.console.support import csrf_token, open_awaiting_approval, signed_in

BOARD = "/console/escalations"


def _tier_section(page: str, tier: str) -> str:
    return page.split(f'id="tier-{tier}"')[1].split("</section>")[0]


@pytest.mark.both_stores
async def test_the_board_groups_open_complaints_by_tier_with_countdowns(api: Api) -> None:
    critical_id = await open_awaiting_approval(api)
    general = (await api.create(intake())).json()["complaint_id"]
    await api.wait_for_view(general, lambda view: view["status"] == "open")

    async with signed_in(api, "sup-jo", Role.SUPERVISOR) as supervisor:
        board = await supervisor.get(BOARD)

    assert board.status_code == 200
    critical = _tier_section(board.text, "critical")
    assert f'data-complaint="{critical_id}"' in critical
    assert f'data-complaint="{general}"' not in critical
    assert f'data-complaint="{general}"' in _tier_section(board.text, "general")
    assert "No open complaints." in _tier_section(board.text, "serious")
    row = critical.split(f'data-complaint="{critical_id}"')[1].split("</tr>")[0]
    assert "Awaiting approval" in row
    assert re.search(r'class="countdown"[^>]*data-due="[^"]+"[^>]*>[^<]+ left<', row)
    workflow_link = f"{TEMPORAL_UI_URL}/namespaces/{api.settings.temporal_namespace}"
    assert f'href="{workflow_link}/workflows/complaint-{critical_id}"' in row


async def test_a_supervisor_reassigns_from_the_board_and_an_agent_cannot(api: Api) -> None:
    complaint_id = (await api.create(intake())).json()["complaint_id"]
    view = await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    other = "agent-quality-3" if view["assignee"] != "agent-quality-3" else "agent-quality-2"

    async with signed_in(api, "agent-quality-1", Role.AGENT) as agent:
        board = await agent.get(BOARD)
        assert board.status_code == 200
        assert 'name="agent_id"' not in board.text, "agents get no reassign form"
        refused = await agent.post(
            f"/console/complaints/{complaint_id}/assign",
            data={"csrf_token": csrf_token(board.text), "agent_id": other},
        )
        assert refused.status_code == 403
        assert "Only supervisors may reassign complaints." in refused.text

    async with signed_in(api, "sup-kim", Role.SUPERVISOR) as supervisor:
        board = await supervisor.get(BOARD)
        assert f'<option value="{other}"' in board.text
        unknown = await supervisor.post(
            f"/console/complaints/{complaint_id}/assign",
            data={"csrf_token": csrf_token(board.text), "agent_id": "agent-nobody"},
        )
        assert unknown.status_code == 422
        moved = await supervisor.post(
            f"/console/complaints/{complaint_id}/assign",
            data={"csrf_token": csrf_token(board.text), "agent_id": other},
        )
        assert moved.status_code == 303, moved.text
        notice = await supervisor.get(moved.headers["location"])
        assert f"Reassigned {complaint_id} to {other}." in notice.text

    reassigned = await api.wait_for_view(complaint_id, lambda view: view["assignee"] == other)
    event = next(e for e in reversed(reassigned["timeline"]) if e["kind"] == "assigned")
    assert (event["actor"], event["detail"]) == ("sup-kim", other)
