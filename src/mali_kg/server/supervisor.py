"""``mali-kg serve``: a small supervising process that holds the listening socket and keeps
one serving process running on it (or ``--serving-processes N``, sharing the socket).

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


@dataclasses.dataclass
class _Slot:
    """One serving process's place: the process, when it started, its restarts and back-off."""
    child: subprocess.Popen | None = None
    started: float = 0.0
    restarts: int = 0
    backoff: float = 0.0
    next_start: float = 0.0


def supervise(settings: Settings, *, host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT, restarting any serving process that dies.

    ``settings.serving_processes`` serving processes share the one listening socket: the
    kernel hands each new connection to one of them, so the HTTP work of many clients is
    spread over the machine's cores; each has its own worker pools."""
    sock = listen(host, port)
    log_fd = os.dup(sys.stderr.fileno())
    shown = f"[{host}]" if ":" in host else host
    base = (settings.public_url or f"http://{shown}:{port}").rstrip("/")
    slots = [_Slot() for _ in range(max(1, settings.serving_processes))]
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for slot in slots:
            if slot.child is not None and slot.child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    slot.child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    total_restarts = 0
    try:
        while not stopping:
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if stopping:
                    break
                if slot.child is None:
                    if now >= slot.next_start:
                        announce = base if i == 0 and slot.restarts == 0 else ""
                        slot.child = _start(settings, sock, log_fd, announce)
                        slot.started = now
                    continue
                code = slot.child.poll()
                if code is None or stopping:
                    continue
                slot.child = None
                slot.restarts += 1
                total_restarts += 1
                # At once after a process that ran for a while; then waiting 1, 2, 4 … 30 s
                # while it keeps dying soon after starting.
                slot.backoff = 0.0 if now - slot.started > STABLE_AFTER else \
                    min(max(1.0, slot.backoff * 2), MAX_BACKOFF)
                slot.next_start = now + slot.backoff
                _log_restart(code, total_restarts, slot.backoff)
            time.sleep(0.05)
    finally:
        children = [slot.child for slot in slots if slot.child is not None]
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        sock.close()


def _start(settings: Settings, sock: socket.socket, log_fd: int,
           announce: str) -> subprocess.Popen:
    """A serving process on ``sock``. The access log (one JSON line per request, already) goes
    straight to our stderr; everything else it and its workers print comes through
    relay_log."""
    child = subprocess.Popen(
        [sys.executable, "-m", "mali_kg.server.serving", str(sock.fileno()),
         _encode(settings), announce, str(log_fd)],
        pass_fds=[sock.fileno(), log_fd], stderr=subprocess.PIPE,
        env=_environment(settings))
    threading.Thread(target=relay_log, args=(child.stderr, sys.stderr.buffer),
                     name="log-relay", daemon=True).start()
    return child


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
        fields["backend"] = Backend(**{**b, "graphs": tuple(b["graphs"]),
                                       "functions": frozenset(b["functions"]),
                                       "password": os.environ.get(PASSWORD_ENV)})
    return Settings(**fields)
