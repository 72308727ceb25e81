"""``mali-kg serve``: a small supervising process that holds the listening socket and keeps
one serving process running on it.

The serving process (:mod:`.serving`: the web app, uvicorn, the worker pools) is where a bug
in a parser could still take everything down. If it dies, the supervisor logs why (one JSON
line on stderr, ``"event": "restart"``) and starts another on the same socket; clients that
connect meanwhile wait in the socket's backlog. Restarts that follow each other quickly back
off (up to 30 s). SIGTERM or SIGINT stop the serving process cleanly, then the supervisor.
The supervisor imports no web framework and parses nothing a client sends. Everything the
serving process and its workers write to stderr passes through it and comes out one JSON
object per line (:func:`relay_log`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import BinaryIO

from ..errors import MaliKGError
from ..remote import PASSWORD_ENV, Backend
from .settings import Settings

BACKLOG = 2048
STABLE_AFTER = 30.0  # a serving process that ran this long resets the back-off
MAX_BACKOFF = 30.0
LOG_LINE_MAX = 64 * 1024


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise MaliKGError(f"cannot listen on {host}:{port}: {e.strerror}; choose another "
                          "with --port.") from None
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def supervise(settings: Settings, *, host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT, restarting the serving process whenever it dies."""
    sock = listen(host, port)
    log_fd = os.dup(sys.stderr.fileno())
    shown = f"[{host}]" if ":" in host else host
    base = (settings.public_url or f"http://{shown}:{port}").rstrip("/")
    child: subprocess.Popen | None = None
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    restarts, backoff = 0, 0.0
    try:
        while not stopping:
            started = time.monotonic()
            # The access log (one JSON line per request, already) goes straight to our stderr;
            # everything else the serving process and its workers print comes through relay_log.
            child = subprocess.Popen(
                [sys.executable, "-m", "mali_kg.server.serving", str(sock.fileno()),
                 _encode(settings), base if restarts == 0 else "", str(log_fd)],
                pass_fds=[sock.fileno(), log_fd], stderr=subprocess.PIPE,
                env=_environment(settings))
            threading.Thread(target=relay_log, args=(child.stderr, sys.stderr.buffer),
                             name="log-relay", daemon=True).start()
            code = _wait(child)
            if stopping:
                break
            restarts += 1
            # At once after a process that ran for a while; then waiting 1, 2, 4 … 30 s
            # while it keeps dying soon after starting.
            backoff = 0.0 if time.monotonic() - started > STABLE_AFTER else \
                min(max(1.0, backoff * 2), MAX_BACKOFF)
            _log_restart(code, restarts, backoff)
            _sleep_unless_stopped(backoff, lambda: stopping)
    finally:
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        sock.close()


def _wait(child: subprocess.Popen) -> int:
    while True:
        try:
            return child.wait()
        except InterruptedError:  # pragma: no cover - PEP 475 retries for us
            continue


def _sleep_unless_stopped(seconds: float, stopped) -> None:
    deadline = time.monotonic() + seconds
    while not stopped() and time.monotonic() < deadline:
        time.sleep(0.05)


def _log_restart(code: int, restarts: int, backoff: float) -> None:
    if code < 0:
        try:
            reason = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            reason = f"killed by signal {-code}"
    else:
        reason = f"exited with status {code}"
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": "restart",
              "reason": f"the serving process was {reason}" if code < 0 else
              f"the serving process {reason}", "restarts": restarts, "after_s": backoff}
    sys.stderr.write(json.dumps(record) + "\n")
    sys.stderr.flush()


def relay_log(source: BinaryIO, sink: BinaryIO) -> None:
    """Copy the serving process's stderr (the JSON access log, and whatever its workers or
    libraries print) to ``sink``, one JSON object per line: lines that are not JSON objects
    (a message from the engine's allocator, a traceback) are wrapped as
    ``{"time": …, "event": "message", "text": …}``; the start-up announcement
    (``mali-kg: …``) passes as it is."""
    with contextlib.suppress(OSError, ValueError):
        while line := source.readline(LOG_LINE_MAX):  # a longer line is cut in pieces
            if not line.startswith((b"{", b"mali-kg: ")) or not line.endswith(b"\n"):
                text = line.rstrip(b"\r\n").decode("utf-8", "replace")
                line = (json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                    "event": "message", "text": text}) + "\n").encode()
            sink.write(line)
            sink.flush()


def _encode(settings: Settings) -> str:
    """The settings as the serving process's argument, without the engine's password
    (a command line is visible to every user of the machine: it goes in the environment)."""
    fields = dataclasses.asdict(settings)
    fields["allowed_services"] = sorted(settings.allowed_services)
    if settings.backend is not None:
        fields["backend"] = {**fields["backend"], "password": None,
                             "functions": sorted(settings.backend.functions)}
    return json.dumps(fields)


def _environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    if settings.backend is not None and settings.backend.password is not None:
        env[PASSWORD_ENV] = settings.backend.password
    return env


def decode(text: str) -> Settings:
    fields = json.loads(text)
    fields["allowed_services"] = frozenset(fields["allowed_services"])
    if fields.get("backend") is not None:
        b = fields["backend"]
        fields["backend"] = Backend(b["url"], tuple(b["graphs"]), b["user"],
                                    os.environ.get(PASSWORD_ENV), frozenset(b["functions"]),
                                    b["timeout"])
    return Settings(**fields)
