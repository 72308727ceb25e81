"""Helpers for the fault tests: the server's process tree and its resident memory, and the
checks every hostile case ends with (the server answers, its log is clean).

* ``servers`` (module scope): the ``mali-kg serve`` processes of a module, started with the
  module's ``SERVER_FLAGS`` (a tuple of command-line flags; none by default); ``server``: the
  current one, replaced by a fresh one when an earlier test has brought it down, so that one
  failure does not hide the next.
* :func:`descendants`, :func:`tree_rss`, :func:`rss`, :func:`serving_pid`: what runs under the
  top-level process, read from ``/proc`` (with the soak benchmark's readers).
* :func:`assert_healthy`, :func:`assert_log_clean`: the server is still up and answering, and
  its log holds only JSON lines and the start-up announcement.
* :func:`open_idle`, :func:`wait_until_closed`: raw connections that send nothing (or next
  to nothing), and waiting for the server to close them.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import socket
import subprocess
import time

import httpx
import pytest

from bench.soak import tree_pids, vm_rss_bytes
from bench.soak import tree_rss as soak_tree_rss

ORDINARY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RESULTS_JSON = "application/sparql-results+json"
MIB = 2**20


class Servers:
    """The servers a module started: one, shared, and another each time the last has died."""

    def __init__(self, factory, flags: tuple[str, ...]):
        self.factory = factory
        self.flags = flags
        self.started: list = []
        self.stack = contextlib.ExitStack()

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, *exc) -> None:
        self.stack.close()

    def current(self):
        if not self.started or not _still_running(self.started[-1]):
            self.started.append(self.stack.enter_context(self.factory(*self.flags)))
        return self.started[-1]


def _still_running(running) -> bool:
    """False once the top-level process has exited (waiting a little for one that does not
    answer at all: it may be on its way out)."""
    if running.process.poll() is not None:
        return False
    try:
        httpx.get(running.url + "/health", timeout=10)
    except httpx.TransportError:
        with contextlib.suppress(subprocess.TimeoutExpired):
            running.process.wait(timeout=5)
    return running.process.poll() is None


@pytest.fixture(scope="module")
def servers(request, server_factory):
    with Servers(server_factory, tuple(getattr(request.module, "SERVER_FLAGS", ()))) as s:
        yield s


@pytest.fixture
def server(servers):
    """The module's server (started with the module's ``SERVER_FLAGS``)."""
    return servers.current()


# --- the process tree -------------------------------------------------------------------------

def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _ppid(pid: int) -> int | None:
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return None
    # The command name may hold spaces and parentheses: the fields follow the last ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 else None


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, …), not ``pid`` itself."""
    return [p for p in tree_pids(pid) if p != pid]


def rss(pid: int) -> int:
    """The resident set size of one process in bytes (0 once it is gone)."""
    return vm_rss_bytes(pid)


def tree_rss(pid: int) -> int:
    """The resident set size of ``pid`` and all its descendants, in bytes."""
    return soak_tree_rss(pid)[0]


def cmdline(pid: int) -> str:
    return _read(f"/proc/{pid}/cmdline").replace("\0", " ").strip()


def is_dying(pid: int) -> bool:
    """True for a process that has exited (or is gone) or has a SIGKILL pending."""
    status = dict(line.split(":", 1) for line in _read(f"/proc/{pid}/status").splitlines()
                  if ":" in line)
    if not status or status.get("State", "").strip()[:1] in ("Z", "X"):
        return True
    sigkill = 1 << 8
    return any(int(status.get(key, "0").strip() or "0", 16) & sigkill
               for key in ("SigPnd", "ShdPnd"))


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in _read(table).splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and \
                    int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _holds_socket(pid: int, inodes: set[str]) -> bool:
    fd_dir = f"/proc/{pid}/fd"
    try:
        names = os.listdir(fd_dir)
    except OSError:
        return False
    for name in names:
        try:
            target = os.readlink(f"{fd_dir}/{name}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def serving_pid(server) -> int:
    """The process that answers HTTP: the one below the top-level process that holds the
    listening socket (the top-level process itself when it serves alone)."""
    top = server.process.pid
    port = int(server.url.rsplit(":", 1)[1])
    inodes = _listening_inodes(port)
    holders = [p for p in descendants(top) if _holds_socket(p, inodes)]
    direct = [p for p in holders if _ppid(p) == top]
    if direct:
        return direct[0]
    if holders:
        return holders[0]
    return top


# --- after every hostile case -----------------------------------------------------------------

def assert_healthy(server, *, timeout: float = 30.0, recovery: float = 10.0) -> None:
    """The top-level process runs, /health answers 200 and an ordinary query answers 200
    (within ``recovery`` seconds: workers stopped by a hostile case may still be starting
    again)."""
    assert server.process.poll() is None, "the server exited:\n" + server.log()[-4000:]
    with httpx.Client(base_url=server.url, timeout=timeout) as client:
        deadline = time.monotonic() + recovery
        health = client.get("/health")
        while health.status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
            health = client.get("/health")
        assert health.status_code == 200, health.text[:500]

        def ordinary():
            return client.post("/sparql", content=ORDINARY_QUERY.encode(),
                               headers={"Content-Type": "application/sparql-query",
                                        "Accept": RESULTS_JSON})

        # While workers stopped by the hostile case start again (slowly on a busy machine),
        # a query may be told "every worker is busy": that is recovering, not down.
        r = ordinary()
        while r.status_code == 503 and "busy" in r.text and time.monotonic() < deadline:
            time.sleep(0.2)
            r = ordinary()
        assert r.status_code == 200, r.text[:500]
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0


def log_lines(server) -> list[str]:
    return [line for line in server.log().splitlines() if line.strip()]


def json_records(server) -> list[dict]:
    records = []
    for line in log_lines(server):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def first_traceback(server) -> str | None:
    """The start of the first stack trace in the server's log, if there is one."""
    text = server.log()
    at = text.find("Traceback")
    if at < 0:
        return None
    start = text.rfind("\n", 0, max(at - 1, 0)) + 1
    return text[start:start + 1500]


def assert_logs_clean(servers: Servers) -> None:
    """:func:`assert_log_clean` for every server the module started."""
    for running in servers.started:
        assert_log_clean(running)


def assert_log_clean(server) -> None:
    """Every log line is a JSON object or the start-up announcement; no stack trace."""
    trace = first_traceback(server)
    assert trace is None, f"the log holds a stack trace:\n{trace}"
    for line in log_lines(server):
        if line.startswith("mali-kg:"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        assert isinstance(record, dict), \
            f"a log line is neither JSON nor the announcement: {line[:300]!r}"


# --- raw connections --------------------------------------------------------------------------

def open_idle(url: str, count: int) -> list[socket.socket]:
    """``count`` connections to the server that have sent nothing yet."""
    host, port = url.removeprefix("http://").split(":")
    return [socket.create_connection((host, int(port)), timeout=10) for _ in range(count)]


# What a server may write to a connection it closes before any request arrived: 408 (too
# slow) or 503 (too many connections open).
CLOSING_ANSWERS = (b"HTTP/1.1 408", b"HTTP/1.1 503")


def wait_until_closed(sockets: list[socket.socket], *, seconds: float,
                      trickle: list[socket.socket] = (), trickle_bytes: bytes = b"",
                      ) -> list[socket.socket]:
    """Wait up to ``seconds`` for the server to close each connection or answer it 408 (or
    503); meanwhile send the ``trickle`` connections one more byte of ``trickle_bytes`` each
    second. Returns the connections still open at the end."""
    open_ = set(sockets)
    answers = {s: b"" for s in sockets}
    sent = 0
    next_byte = time.monotonic()
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for s in sockets:
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ)
        while open_ and time.monotonic() < deadline:
            if trickle and time.monotonic() >= next_byte and sent < len(trickle_bytes):
                for s in trickle:
                    if s in open_:
                        try:
                            s.send(trickle_bytes[sent:sent + 1])
                        except OSError:
                            _closed(s, open_, selector)
                sent += 1
                next_byte += 1.0
            for key, _ in selector.select(timeout=0.1):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                answers[s] += data
                if not data or answers[s].startswith(CLOSING_ANSWERS):
                    _closed(s, open_, selector)
    unexpected = [a for a in answers.values() if a and not a.startswith(CLOSING_ANSWERS)]
    assert not unexpected, f"an idle connection got {unexpected[0][:200]!r}"
    return list(open_)


def _closed(s: socket.socket, open_: set, selector: selectors.BaseSelector) -> None:
    open_.discard(s)
    with contextlib.suppress(KeyError, ValueError):
        selector.unregister(s)
