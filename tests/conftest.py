"""Shared fixtures: a real ``mali-kg serve`` process on a free 127.0.0.1 port.

* ``server_url`` (session): the base URL (``http://127.0.0.1:PORT``, no trailing slash) of one
  server started with the command's default options; use it for anything that does not need
  special flags.
* ``start_server(*flags)``: a context manager starting another server with extra command-line
  flags (``"--timeout", "2"``); it yields a :class:`RunningServer`.

The server runs as ``python -m mali_kg serve --host 127.0.0.1 --port PORT …``; its stderr
(the JSON access log) goes to a file shown when start-up fails.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT = 90.0


@dataclass
class RunningServer:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def start_server(*flags: str) -> Iterator[RunningServer]:
    """Start ``mali-kg serve`` with ``flags``, wait until /health answers, stop it after."""
    port = free_port()
    fd, log_name = tempfile.mkstemp(prefix="mali-kg-serve-", suffix=".log")
    log_file = os.fdopen(fd, "wb")
    cmd = [sys.executable, "-m", "mali_kg", "serve", "--host", "127.0.0.1", "--port", str(port),
           *flags]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env)
    server = RunningServer(f"http://127.0.0.1:{port}", process, Path(log_name))
    try:
        _wait_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log_file.close()
        with contextlib.suppress(OSError):
            os.unlink(log_name)


def _wait_healthy(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"mali-kg serve exited with {server.process.returncode}:\n"
                               + server.log())
        try:
            with urllib.request.urlopen(server.url + "/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("mali-kg serve did not become healthy in time:\n" + server.log())


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Base URL of a ``mali-kg serve`` process with default options, shared by the session."""
    with start_server() as server:
        yield server.url


@pytest.fixture(scope="session")
def server_factory():
    """:func:`start_server`, for tests that need a server started with their own flags."""
    return start_server
