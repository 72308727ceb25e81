"""Start and stop the endpoints under test on free 127.0.0.1 ports, by process id.

Each server runs in a new session (process group) of its own, so that stopping it also stops
the worker processes it started, and nothing else.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

# A SELECT, not an ASK: Virtuoso 7.2 answers ASK with a one-column result set
# (``__ASK_RETVAL``), which ``mali-kg serve --backend`` passes on as it is.
PROBE = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str  # the SPARQL endpoint
    cold_start_s: float  # process start to first successful answer


def answers(url: str, timeout: float = 2.0) -> bool:
    req = urllib.request.Request(f"{url}?query={quote(PROBE)}",
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status == 200 and b'"value"' in r.read()
    except (OSError, urllib.error.URLError):
        return False


def start(name: str, argv: list[str], url: str, *, log: Path, limit: float = 90.0,
          env: dict[str, str] | None = None) -> Server:
    """Start ``argv`` (with ``env``, default this process's environment); return once ``url``
    answers a query (or raise after ``limit`` s)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**(env or os.environ), "PYTHONUNBUFFERED": "1"})
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}; see {log}")
        if answers(url, timeout=1.0):
            return Server(name, proc, url, time.perf_counter() - t0)
        time.sleep(0.01)
    stop_process(proc)
    raise RuntimeError(f"{name} did not answer within {limit:.0f} s; see {log}")


def stop_process(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group, then SIGKILL what is left after 10 s."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(10)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def mali_kg_argv(port: int, *, workers: int | None, store: Path | None = None,
                 backend: str | None = None) -> list[str]:
    """``mali-kg serve`` on ``port``; ``workers`` None for serve's own default."""
    argv = [sys.executable, "-m", "mali_kg.cli", "serve", "--host", "127.0.0.1",
            "--port", str(port)] + (["--workers", str(workers)] if workers else [])
    if store is not None:
        argv += ["--store", str(store)]
    if backend is not None:
        argv += ["--backend", backend]
    return argv


def rdflib_endpoint_argv(port: int, data: Path) -> list[str]:
    return [sys.executable, "-m", "rdflib_endpoint", "serve", "--host", "127.0.0.1",
            "--port", str(port), str(data)]


@contextmanager
def running(name: str, kind: str, *, log_dir: Path, workers: int | None = 1,
            data: Path | None = None, store: Path | None = None, backend: str | None = None):
    """Run ``mali-kg serve`` (kind ``mali-kg``; in front of the engine at ``backend`` if
    given) or ``rdflib-endpoint`` for a with-block."""
    port = free_port()
    if kind == "mali-kg":
        argv = mali_kg_argv(port, workers=workers, store=store, backend=backend)
    else:
        assert data is not None
        argv = rdflib_endpoint_argv(port, data)
    # rdflib-endpoint's command serves its SPARQL endpoint at the root path.
    path = "/sparql" if kind == "mali-kg" else "/"
    server = start(name, argv, f"http://127.0.0.1:{port}{path}", log=log_dir / f"{name}.log")
    try:
        yield server
    finally:
        stop_process(server.process)
