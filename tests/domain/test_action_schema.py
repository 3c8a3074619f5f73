"""The agent actions' JSON schema is a contract clients are generated from: it must say
what the server requires."""

from typing import Any

from domain.complaints import AgentActionRequest, ReplyAction


def test_every_action_requires_its_type_tag_in_the_schema() -> None:
    # The server tells actions apart by `type` and refuses one without it; its default
    # only serves code that builds actions, so the schema must not make it optional.
    definitions: dict[str, Any] = AgentActionRequest.model_json_schema()["$defs"]
    actions = {name: d for name, d in definitions.items() if name.endswith("Action")}
    assert len(actions) == 6
    for name, definition in actions.items():
        assert "type" in definition["required"], name


def test_code_still_builds_an_action_without_naming_its_type() -> None:
    assert ReplyAction(message="Sorry for the wait").type == "reply"
