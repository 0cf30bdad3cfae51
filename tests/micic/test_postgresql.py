"""micic/postgresql: the watchdog that ends a database call waiting past its deadline, and the
request's budget. (The whole backend against a frozen server: test_resilience.py.)"""

import socket
import threading
import time

import pytest
from django.db import OperationalError

from micic.postgresql import base
from micic.postgresql.deadline import remaining, request_budget, watchdog


def blocked_read(sock, seconds):
    """recv() on a socket whose peer never writes, as a client waits for a frozen server."""
    with watchdog.limit(sock.fileno(), seconds) as expired:
        data = sock.recv(1)
    return data, expired[0]


def test_a_call_still_waiting_at_its_deadline_has_its_socket_shut_down():
    client, server = socket.socketpair()
    with client, server:
        data, expired = blocked_read(client, 0.2)
        assert (data, expired) == (b"", True)  # the wait ended: end of stream


def test_a_call_that_ends_in_time_is_left_alone():
    client, server = socket.socketpair()
    with client, server:
        server.sendall(b"x")
        assert blocked_read(client, 5) == (b"x", False)
        # The socket still works afterwards.
        server.sendall(b"y")
        assert client.recv(1) == b"y"


def test_a_watchdog_serves_every_thread():
    pairs = [socket.socketpair() for _ in range(3)]
    results = []

    def read(sock):
        results.append(blocked_read(sock, 0.2))

    threads = [threading.Thread(target=read, args=(client,)) for client, _ in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert results == [(b"", True)] * 3
    for client, server in pairs:
        client.close()
        server.close()


def test_the_request_budget_shortens_each_call_and_ends_with_the_request():
    assert remaining(12) == 12
    assert remaining(None) is None
    with request_budget(5):
        assert 4 < remaining(12) <= 5
        assert 4 < remaining(None) <= 5
        assert remaining(1) == 1
    assert remaining(12) == 12
    with request_budget(0):  # 0: no budget
        assert remaining(12) == 12


class FakeConnection:
    def __init__(self, sock):
        self.pgconn = type("PGconn", (), {"socket": sock.fileno()})()


def test_a_call_past_its_time_limit_is_an_operational_error_naming_it():
    client, server = socket.socketpair()
    limit = base.time_limit(FakeConnection(client), 0.2, "a statement")
    expected = pytest.raises(OperationalError, match="did not answer a statement")
    with client, server, expected, limit:
        if client.recv(1) == b"":
            raise ConnectionError("server closed the connection unexpectedly")


def test_a_request_that_used_up_its_budget_makes_no_more_calls():
    client, server = socket.socketpair()
    with client, server, request_budget(0.01):
        time.sleep(0.05)
        limit = base.time_limit(FakeConnection(client), 12, "a statement")
        with pytest.raises(OperationalError, match="used up its time"), limit:
            pytest.fail("the call must not start")
        # Cleaning up (rollback, close, health check) is still allowed.
        with base.time_limit(FakeConnection(client), 12, "a rollback", budget=False):
            pass
