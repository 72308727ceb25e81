"""Shared fixtures: a real ``mali-kg serve`` process on a free 127.0.0.1 port.

* ``server_url`` (session): the base URL (``http://127.0.0.1:PORT``, no trailing slash) of one
  server started with the command's default options; use it for anything that does not need
  special flags.
* ``start_server(*flags)``: a context manager starting another server with extra command-line
  flags (``"--timeout", "2"``); it yields a :class:`RunningServer`.

Modules marked ``pytest.mark.backends`` run against three servers: the embedded store, and
``serve --backend`` in front of Oxigraph server and of Virtuoso 7.2, each started here on a
free 127.0.0.1 port, loaded with ``mali-kg load --into`` and stopped by its process id
(``bench/engines.py``). An engine that is not installed fails those tests with the command
that installs it.

The server runs as ``python -m mali_kg serve --host 127.0.0.1 --port PORT …``; its stderr
(the JSON access log) goes to a file shown when start-up fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
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
# The plans of translated shapes (mali_kg.shacl_sparql.plan_cache) are kept in this run's own
# folder, not in the user's cache.
_CACHE = tempfile.mkdtemp(prefix="mali-kg-tests-")
os.environ["MALI_KG_CACHE_DIR"] = os.path.join(_CACHE, "cache")


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


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


BACKENDS = ("embedded", "oxigraph", "virtuoso")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker("backends") is not None
        metafunc.parametrize("backend", BACKENDS if marked else BACKENDS[:1], indirect=True,
                             scope="session")


@pytest.fixture(scope="session")
def backend(request) -> str:
    """Which store the session's server reads: "embedded", "oxigraph" or "virtuoso"."""
    return request.param


@pytest.fixture(scope="session")
def engines(tmp_path_factory) -> Iterator[dict]:
    """Engines started so far in this session (by name), each loaded with the bundled graph
    through ``mali-kg load --into``; all are stopped at the end."""
    with contextlib.ExitStack() as stack:
        yield {"stack": stack, "folder": tmp_path_factory.mktemp("engines")}


def loaded_engine(engines: dict, name: str):
    """The engine ``name`` (see :mod:`bench.engines`), started and loaded once a session."""
    from bench import engines as eng

    if name not in engines:
        if (why := eng.missing(name)) is not None:
            pytest.fail(why, pytrace=False)
        start = eng.oxigraph_server if name == "oxigraph" else eng.virtuoso
        engine = engines["stack"].enter_context(start(engines["folder"] / name))
        load_into(engine)
        engines[name] = engine
    return engines[name]


def load_into(engine, *files: str) -> subprocess.CompletedProcess:
    """``mali-kg load --into`` the engine's Graph Store endpoint (the bundled graph)."""
    cmd = [sys.executable, "-m", "mali_kg", "load", "--into", engine.store_url, *files]
    env = dict(os.environ)
    if engine.user:
        cmd += ["--user", engine.user]
        env["MALI_KG_BACKEND_PASSWORD"] = engine.password
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def backend_flags(engines: dict, name: str) -> tuple[str, ...]:
    """The ``serve`` flags that put a server in front of engine ``name`` (none: embedded)."""
    if name == "embedded":
        return ()
    return ("--backend", loaded_engine(engines, name).query_url)


@pytest.fixture(scope="session")
def server_url(backend: str, engines: dict) -> Iterator[str]:
    """Base URL of a ``mali-kg serve`` process with default options, shared by the session
    (in front of an engine when the module is marked ``backends``)."""
    with start_server(*backend_flags(engines, backend)) as server:
        yield server.url


@pytest.fixture(scope="session")
def server_factory():
    """:func:`start_server`, for tests that need a server started with their own flags."""
    return start_server
