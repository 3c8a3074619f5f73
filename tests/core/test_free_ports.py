"""Ports for stacks started beside others (tests, benchmarks, the chaos run) come from
below the kernel's ephemeral range, so no outgoing connection or `bind(0)` elsewhere can
take one between its choice and the server's bind, and one process is never handed the
same port twice."""

import socket
from pathlib import Path

import pytest

from core import stack
from core.stack import free_port


def _lowest_ephemeral() -> int:
    return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])


def test_ports_are_below_the_ephemeral_range_and_never_handed_out_twice() -> None:
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    assert all(10000 <= port < _lowest_ephemeral() for port in ports)


def _listen_on_a_block(size: int) -> list[socket.socket]:
    """Returns listeners on `size` consecutive ports below the ephemeral range."""
    for base in range(20000, 30000, size):
        listeners: list[socket.socket] = []
        try:
            for port in range(base, base + size):
                listeners.append(socket.create_server(("127.0.0.1", port)))
        except OSError:
            for listener in listeners:
                listener.close()
            continue
        return listeners
    raise AssertionError("no free block of ports")


def test_a_port_something_listens_on_is_not_handed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    listeners = _listen_on_a_block(20)
    try:
        ports = [listener.getsockname()[1] for listener in listeners]
        # Nineteen of the twenty ports looked at stay taken; the twentieth is let go.
        listeners.pop().close()
        monkeypatch.setattr(stack, "_below_ephemeral", lambda: range(ports[0], ports[-1] + 1))
        monkeypatch.setattr(stack, "_handed_out", set())
        assert free_port() == ports[-1]
    finally:
        for listener in listeners:
            listener.close()
