"""The policy store on SQLite and PostgreSQL: version 1 is the shipped policy, written by
the first read; each change is a new version with who, when and why, and an entry on the
audit trail in the same transaction; older versions never change; a stale change, an
unchanged document, an invalid one or a missing reason saves nothing; the same key saves
one version, even sent at once; two changes on one version at once save one."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from domain.policy_document import PolicyDocument, shipped_policy
from domain.taxonomy import CustomerTier, Tier
from store.admin_changes import ChangeNote, FormAlreadySent, recent_changes
from store.db import SessionFactory
from store.policies import (
    SHIPPED_BY,
    PolicyChangeKeyReused,
    PolicyRefused,
    PolicyStale,
    PolicyUnchanged,
    count_policy_versions,
    current_policy,
    policy_version,
    policy_versions,
    save_policy,
)
from store.tables.policies import PolicyVersionRecord

pytestmark = pytest.mark.both_stores

ADMIN = ChangeNote(actor="ops-admin")


@pytest.fixture
def session(sessions: SessionFactory) -> Iterator[Session]:
    with sessions() as session:
        yield session


def with_critical_first_response(hours: float) -> PolicyDocument:
    document = shipped_policy()
    document.complaints.sla[Tier.CRITICAL].first_response = timedelta(hours=hours)
    return document


def test_the_first_read_writes_the_shipped_policy_as_version_1(session: Session) -> None:
    assert session.exec(select(PolicyVersionRecord)).all() == []

    first = current_policy(session)
    again = current_policy(session)

    assert (first.version, first.changed_by) == (1, SHIPPED_BY)
    assert first.document == shipped_policy()
    assert again == first
    assert len(session.exec(select(PolicyVersionRecord)).all()) == 1


def test_a_change_is_a_new_version_and_the_old_one_stays(session: Session) -> None:
    saved = save_policy(
        session,
        with_critical_first_response(2),
        reason="critical complaints get two hours",
        note=ADMIN,
        based_on=1,
    )
    document = with_critical_first_response(2)
    document.complaints.approval_threshold[CustomerTier.VIP] = Decimal("800")
    third = save_policy(session, document, reason="VIPs get more", note=ADMIN, based_on=2)

    assert (saved.version.version, saved.replayed) == (2, False)
    assert saved.version.changed_by == "ops-admin"
    assert saved.version.reason == "critical complaints get two hours"
    assert third.version.version == current_policy(session).version == 3
    first = policy_version(session, 1)
    second = policy_version(session, 2)
    assert first is not None and first.document == shipped_policy()
    assert second is not None
    assert second.document.complaints.sla[Tier.CRITICAL].first_response == timedelta(hours=2)
    assert second.document.complaints.approval_threshold[CustomerTier.VIP] == Decimal("500")
    assert policy_version(session, 4) is None
    assert [v.version for v in policy_versions(session, limit=2)] == [3, 2]
    assert [v.version for v in policy_versions(session, limit=2, offset=2)] == [1]
    assert count_policy_versions(session) == 3
    trail = recent_changes(session)
    assert [(c.subject_kind, c.subject, c.action, c.actor, c.reason) for c in trail] == [
        ("policy", "v3", "policy_changed", "ops-admin", "VIPs get more"),
        ("policy", "v2", "policy_changed", "ops-admin", "critical complaints get two hours"),
    ]
    assert trail[0].detail == "complaints.approval_threshold.vip: 500 -> 800"
    assert trail[1].detail == "complaints.sla.critical.first_response: 1h -> 2h"


def test_refusals_save_nothing(session: Session) -> None:
    save_policy(session, with_critical_first_response(2), reason="faster", note=ADMIN)
    invalid = with_critical_first_response(0)
    invalid.returns.windows.days_by_category["Garden Tools"] = 400

    with pytest.raises(PolicyRefused) as refused:
        save_policy(session, invalid, reason="  ", note=ADMIN)
    with pytest.raises(PolicyStale) as stale:
        save_policy(session, with_critical_first_response(3), reason="r", note=ADMIN, based_on=1)
    with pytest.raises(PolicyUnchanged):
        save_policy(session, with_critical_first_response(2), reason="same", note=ADMIN)

    assert [(p.path, p.code) for p in refused.value.problems] == [
        ("reason", "empty"),
        ("complaints.sla.critical.first_response", "not_positive"),
        ("returns.windows.days_by_category.Garden Tools", "category_name"),
        ("returns.windows.days_by_category.Garden Tools", "days_range"),
    ]
    assert stale.value.current.version == 2
    assert current_policy(session).version == 2
    assert len(recent_changes(session)) == 1


def test_the_same_key_saves_one_version(session: Session) -> None:
    first = save_policy(
        session, with_critical_first_response(2), reason="faster", note=ADMIN, change_key="k-1"
    )
    again = save_policy(
        session, with_critical_first_response(2), reason="faster", note=ADMIN, change_key="k-1"
    )

    with pytest.raises(PolicyChangeKeyReused):
        save_policy(
            session,
            with_critical_first_response(3),
            reason="faster",
            note=ADMIN,
            change_key="k-1",
        )
    assert (again.version, again.replayed) == (first.version, True)
    assert current_policy(session).version == 2


def test_a_console_form_sent_twice_saves_once(session: Session) -> None:
    note = ChangeNote(actor="ops-admin", form_key="form-key-0123456789abcdef")
    save_policy(session, with_critical_first_response(2), reason="faster", note=note)

    with pytest.raises(FormAlreadySent):
        save_policy(session, with_critical_first_response(3), reason="again", note=note)
    assert current_policy(session).version == 2


def test_two_changes_on_one_version_at_once_save_one(sessions: SessionFactory) -> None:
    with sessions() as session:
        current_policy(session)

    def change(hours: int) -> str:
        with sessions() as session:
            try:
                saved = save_policy(
                    session,
                    with_critical_first_response(hours),
                    reason=f"{hours} hours",
                    note=ADMIN,
                    based_on=1,
                )
            except PolicyStale:
                return "stale"
            return f"saved v{saved.version.version}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(change, [2, 3]))

    assert outcomes == ["saved v2", "stale"]
    with sessions() as session:
        assert count_policy_versions(session) == 2


def test_the_same_key_sent_at_once_saves_one_version_and_answers_it_to_each(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        current_policy(session)

    def send(_: int) -> tuple[int, bool]:
        with sessions() as session:
            saved = save_policy(
                session,
                with_critical_first_response(2),
                reason="faster",
                note=ADMIN,
                based_on=1,
                change_key="k-at-once",
            )
        return saved.version.version, saved.replayed

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))

    assert {version for version, _ in answers} == {2}
    assert sorted(replayed for _, replayed in answers) == [False, True, True, True]
    with sessions() as session:
        assert count_policy_versions(session) == 2
