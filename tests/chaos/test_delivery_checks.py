"""The chaos run's e-mail and webhook checks catch what they claim to: a message that never
arrived, a second copy no kill explains, an event never taken or taken out of its case's
order; and they let pass what the promises allow (a copy sent again after its sender was
killed mid-send, an event sent again after a late answer). Also: the mail server tells
which local process is sending to it."""

import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from chaos.findings import Findings
from chaos.mail_checks import check_mail
from chaos.mail_sink import CaughtMail
from chaos.monkey import WorkerKill
from chaos.sockets import local_tcp_owner
from chaos.webhook_checks import check_webhooks
from chaos.webhook_receiver import EndpointFigures, TakenEvent
from store.tables.outbox import OutboxMessage
from store.tables.webhook_subscriptions import WebhookDelivery, WebhookEvent

AT = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
MESSAGE_ID = "<abc@redress.localhost>"


def _row(status: str | None = "sent", attempts: int = 1) -> OutboxMessage:
    return OutboxMessage(
        idempotency_key="C1/1/acknowledgement/cust-1",
        complaint_id="C1",
        template="acknowledgement",
        locale="en",
        recipient_kind="customer",
        recipient_id="cust-1",
        address="lin@example.com",
        subject="We got it",
        body="...",
        delivery_status=status,
        delivery_attempts=attempts,
        mail_message_id=MESSAGE_ID,
    )


def _copy(after_seconds: float, pid: int | None = 101) -> CaughtMail:
    return CaughtMail(MESSAGE_ID, ("lin@example.com",), AT + timedelta(seconds=after_seconds), pid)


def _kill(pid: int, after_seconds: float) -> WorkerKill:
    return WorkerKill("worker-1", pid, AT + timedelta(seconds=after_seconds))


def test_a_message_received_once_passes() -> None:
    findings = Findings()
    figures = check_mail([_row()], [_copy(0)], [], findings)
    assert findings.clean, findings.problems
    assert (figures.messages, figures.copies, figures.duplicates) == (1, 1, 0)


def test_an_unsent_message_or_one_never_received_is_lost() -> None:
    findings = Findings()
    check_mail([_row(status=None, attempts=0)], [], [], findings)
    assert findings.lost["e-mail"] == 2  # not sent, and not received


def test_a_second_copy_after_its_sender_was_killed_mid_send_is_explained() -> None:
    findings = Findings()
    kills = [_kill(pid=101, after_seconds=0.3)]
    figures = check_mail([_row(attempts=2)], [_copy(0), _copy(31, pid=202)], kills, findings)
    assert findings.clean, findings.problems
    assert (figures.duplicates, figures.duplicates_during_kill) == (1, 1)
    assert figures.longest_kill_after_send == timedelta(seconds=0.3)
    assert "all during a kill: yes" in figures.summary()


def test_a_second_copy_without_a_kill_of_its_sender_during_the_send_fails() -> None:
    copies = [_copy(0), _copy(31, pid=202)]
    for kills in (
        [],
        [_kill(pid=202, after_seconds=0.3)],  # the other worker
        [_kill(pid=101, after_seconds=20)],  # long after the row said `sent`
    ):
        findings = Findings()
        figures = check_mail([_row(attempts=2)], copies, kills, findings)
        assert findings.duplicates["e-mail"] == 1, kills
        assert "all during a kill: no" in figures.summary()


def test_more_copies_than_attempts_or_mail_for_no_message_are_duplicates() -> None:
    findings = Findings()
    stray = CaughtMail("<other@x>", ("lin@example.com",), AT, 101)
    check_mail([_row(attempts=1)], [_copy(0), _copy(31), stray], [_kill(101, 0.1)], findings)
    assert findings.duplicates["e-mail"] == 2


def _event(seq: int) -> WebhookEvent:
    return WebhookEvent(
        event_id=f"evt_C1_{seq}", type="complaint.opened", case_id="C1", seq=seq,
        occurred_at=AT, body="{}",
    )  # fmt: skip


def _delivery(seq: int, status: str = "delivered") -> WebhookDelivery:
    return WebhookDelivery(
        subscription_id="sub_1", event_id=f"evt_C1_{seq}", case_id="C1", seq=seq, status=status
    )


def _taken(seq: int, late: bool = False) -> TakenEvent:
    return TakenEvent(f"evt_C1_{seq}", "C1", seq, AT, late)


def _check_events(
    taken: list[TakenEvent], statuses: tuple[str, str] = ("delivered", "delivered")
) -> tuple[Findings, int]:
    findings = Findings()
    figures = check_webhooks(
        [_event(1), _event(2)],
        [_delivery(1, statuses[0]), _delivery(2, statuses[1])],
        "sub_1",
        taken,
        EndpointFigures(),
        findings,
    )
    return findings, figures.duplicates_after_late_answer


def test_a_redelivery_after_a_late_answer_is_counted_not_failed() -> None:
    findings, after_late = _check_events([_taken(1, late=True), _taken(1), _taken(2)])
    assert findings.clean, findings.problems
    assert after_late == 1


def test_an_event_never_taken_or_still_pending_is_lost() -> None:
    findings, _ = _check_events([_taken(1)], statuses=("delivered", "pending"))
    assert findings.lost["webhook event"] == 2


def test_an_earlier_event_taken_after_a_later_one_is_out_of_order() -> None:
    findings, _ = _check_events([_taken(1), _taken(2), _taken(1)])
    assert findings.disordered == 1


def test_requests_that_do_not_verify_are_unsafe() -> None:
    findings = Findings()
    check_webhooks([], [], "sub_1", [], EndpointFigures(unverified=1), findings)
    assert findings.unsafe["signature"] == 1


def test_the_mail_server_tells_which_local_process_connected() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        # A client in a process of its own, as a worker is; it waits to be closed.
        client = subprocess.Popen(
            [sys.executable, "-c", f"import socket,sys; s=socket.create_connection(('127.0.0.1',"
             f" {port})); sys.stdin.read()"],
            stdin=subprocess.PIPE,
        )  # fmt: skip
        try:
            connection, (_, peer_port) = server.accept()
            with connection:
                assert local_tcp_owner(peer_port, port, [client.pid]) == client.pid
                assert local_tcp_owner(peer_port, port, [client.pid + 1_000_000]) is None
        finally:
            assert client.stdin is not None
            client.stdin.close()
            client.wait(timeout=10)
