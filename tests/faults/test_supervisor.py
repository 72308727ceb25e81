"""The top-level ``mali-kg serve`` process supervises the process that serves HTTP: when that
process is killed, a new one serves on the same address, and the log says why it restarted."""

from __future__ import annotations

import os
import re
import signal
import time

import httpx
import pytest

from .conftest import assert_healthy, assert_logs_clean, json_records, serving_pid


@pytest.mark.slow
def test_killed_server_process_is_restarted(server):
    top = server.process.pid
    serving = serving_pid(server)
    assert serving != top, "the top-level process serves HTTP itself: nothing supervises it"
    os.kill(serving, signal.SIGKILL)
    deadline = time.monotonic() + 60
    status = None
    while time.monotonic() < deadline:
        try:
            status = httpx.get(server.url + "/health", timeout=5).status_code
        except httpx.TransportError:
            status = None
        if status == 200 and serving_pid(server) not in (serving, top):
            break
        time.sleep(0.2)
    assert status == 200, "the server did not answer again within 60 s"
    assert server.process.poll() is None, "the top-level process exited"
    assert serving_pid(server) != serving
    restarts = [r for r in json_records(server) if r.get("event") == "restart"]
    assert restarts, "no restart was logged"
    assert re.search(r"SIGKILL|signal 9|\bkill", str(restarts[-1].get("reason", "")), re.I), \
        restarts[-1]
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
