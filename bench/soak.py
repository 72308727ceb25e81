"""``python -m bench.soak``: ordinary queries under hostile load, for a bounded time.

Starts its own ``python -m mali_kg serve`` on a free 127.0.0.1 port, then for ``--duration``
seconds runs at once:

* ordinary clients (``--clients``, default 4): the example queries round robin,
  ``GET /sparql?query=…`` over keep-alive connections, each request bounded by ``--timeout``;
* hostile clients (``--hostile-clients``, default 4), round robin over eight cases
  (deeply nested JSON-LD, a cross-product sort, a string doubled 24 times, a 15,000-part
  form, a unique ~120 KB query, a unique 100 KB Accept header, idle sockets, a body cut
  short), each bounded by the same timeout;
* a sampler, every 0.5 s: the resident set size of the server's whole process tree and the
  latency of ``GET /health``.

It prints a Markdown table and, with ``--json FILE``, writes the results. The exit code is 1
if an ordinary request failed (any answer but 200, or a client error), if any answer was a
5xx other than 503 or 504, or if the server did not survive to the end; the server is then
stopped by SIGTERM to its process id. Every socket and request has a timeout and the whole
run ends within ``duration + 60`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from . import servers

HOST = "127.0.0.1"
SAMPLE_EVERY = 0.5  # seconds between two samples of memory and /health
HEALTH_TIMEOUT = 10.0
START_LIMIT = 20.0  # seconds the server may take to answer its first query
STOP_WAIT = 10.0  # seconds the server may take to exit after SIGTERM
SLACK = 60.0  # the whole run ends within duration + SLACK seconds
IDLE_SOCKETS, IDLE_HOLD = 50, 5.0
JSON_RESULTS = "application/sparql-results+json"


# --- the server's process tree --------------------------------------------------------------

def engine_apart_cpus() -> tuple[set[int], set[int]] | None:
    """The first CPU, for an engine alone, and the others, for mali-kg and the load client;
    None with fewer than two."""
    cpus = sorted(os.sched_getaffinity(0))
    return ({cpus[0]}, set(cpus[1:])) if len(cpus) >= 2 else None


def on_cpus(cpus: set[int] | None):
    """A ``preexec_fn`` that starts a child process on ``cpus`` only; None for anywhere."""
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


def pin(pid: int, cpus: set[int]) -> None:
    """Run every thread of ``pid`` and of its descendants on ``cpus`` only (processes they
    start later inherit it)."""
    for p in tree_pids(pid):
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{p}/task"):
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(int(tid), cpus)


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants, found through ``/proc/<pid>/task/<tid>/children``
    (or, where the kernel has no such file, through every process's parent id)."""
    if not Path(f"/proc/{pid}/task/{pid}/children").exists():
        return _tree_pids_by_parent(pid)
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in found:
            continue
        found.append(p)
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                todo += [int(c) for c in Path(f"/proc/{p}/task/{tid}/children").read_text().split()]
            except (OSError, ValueError):
                continue
    return found


def _tree_pids_by_parent(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in found:
            found.append(p)
            todo += parents.get(p, [])
    return found


def serving_pid(pid: int) -> int:
    """The serving process under ``mali-kg serve``'s supervisor ``pid`` (the process that runs
    the web app; its query workers are its children), or ``pid`` if none is found."""
    for p in tree_pids(pid):
        try:
            argv = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mali_kg.server.serving" in argv:
            return p
    return pid


def tree_cpu_s(pid: int, *, descendants: bool = True) -> float:
    """CPU seconds (user and system) spent so far by ``pid`` and its living descendants (or,
    without ``descendants``, by ``pid`` alone); 0 for a process gone before it was read."""
    total = 0
    for p in tree_pids(pid) if descendants else [pid]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return total / _TICKS


_TICKS = os.sysconf("SC_CLK_TCK")


def vm_rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 if it has gone or is a zombie)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_rss(pid: int) -> tuple[int, int]:
    """(bytes resident, number of processes) summed over ``pid`` and its descendants."""
    pids = tree_pids(pid)
    return sum(vm_rss_bytes(p) for p in pids), len(pids)


def available_memory() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 8 * 2**30


# --- the hostile payloads -------------------------------------------------------------------

_unique = itertools.count()


def deep_jsonld(depth: int = 4000) -> bytes:
    return ('{"@id":"http://e/s","http://e/p":' + '{"http://e/p":' * depth + "1"
            + "}" * depth + "}").encode()


MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f LIMIT 1"


def string_doubling(times: int = 24, seed: str = "0123456789abcdef") -> str:
    """A CONSTRUCT whose one literal is ``seed`` doubled ``times`` times (16 chars → 256 MiB)."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return (f'CONSTRUCT {{ <http://e/s> <http://e/p> ?s{times} }} '
            f'WHERE {{ BIND("{seed}" AS ?s0) {binds} }}')


def many_parts(parts: int = 15_000) -> tuple[bytes, str]:
    """A multipart/form-data body of ``parts`` tiny fields, and its Content-Type."""
    boundary = f"soak{next(_unique)}x{os.getpid()}"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n'
    return (part * parts + f"--{boundary}--\r\n").encode(), \
        f"multipart/form-data; boundary={boundary}"


def unique_query(size: int = 120_000) -> str:
    """A SELECT with a long VALUES list of strings no other request has used."""
    tag = f"{os.getpid()}-{next(_unique)}-{time.time_ns()}"
    head, tail = "SELECT ?x WHERE { VALUES ?x { ", " } } LIMIT 1"
    values, n, length = [], 0, len(head) + len(tail)
    while length < size:
        v = f'"u{tag}-{n}" '
        values.append(v)
        length += len(v)
        n += 1
    return head + "".join(values) + tail


def unique_accept(size: int = 100_000) -> str:
    """An Accept header of ``size`` characters that no other request has sent."""
    tag = f"{os.getpid()}-{next(_unique)}-{time.time_ns()}"
    items, n, length = [], 0, 0
    while length < size - len(JSON_RESULTS):
        item = f"application/x-soak-{tag}-{n};q=0.1, "
        items.append(item)
        length += len(item)
        n += 1
    return "".join(items) + JSON_RESULTS


# --- a small HTTP/1.1 client on asyncio streams ---------------------------------------------

class NoAnswer(Exception):
    """The connection closed before a whole answer arrived."""


def request_bytes(method: str, target: str, port: int, headers: dict[str, str] | None = None,
                  body: bytes = b"", *, keep_alive: bool = False) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: " + ("keep-alive" if keep_alive else "close"))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one answer, discarding its body; return (status, whether the server closes)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        raise NoAnswer("closed before an answer" if not e.partial
                       else "closed within the answer's head") from None
    except asyncio.LimitOverrunError:
        raise NoAnswer("answer head too long") from None
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split(b" ", 2)[1])
    except (IndexError, ValueError):
        raise NoAnswer(f"not HTTP: {lines[0][:40]!r}") from None
    length, chunked, close = None, False, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection" and b"close" in value:
            close = True
    try:
        if chunked:
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await _discard(reader, size + 2)
                if size == 0:
                    break
        elif length is not None:
            await _discard(reader, length)
        elif status >= 200 and status not in (204, 304):
            while await reader.read(2**16):
                pass
            close = True
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        raise NoAnswer("closed within the answer's body") from None
    return status, close


async def _discard(reader: asyncio.StreamReader, n: int) -> None:
    while n > 0:
        chunk = await reader.read(min(n, 2**16))
        if not chunk:
            raise asyncio.IncompleteReadError(b"", n)
        n -= len(chunk)


async def exchange(port: int, raw: bytes) -> int:
    """One request on a connection of its own; the answer's status. A server that answers
    (say 413) and closes while the request is still being sent is read all the same."""
    reader, writer = await asyncio.open_connection(HOST, port, limit=2**20)
    try:
        with contextlib.suppress(ConnectionError):
            writer.write(raw)
            await writer.drain()
        return (await read_answer(reader))[0]
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.wait_closed(), 1)


def outcome_of(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, NoAnswer):
        return str(exc)
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, ConnectionError | OSError):
        return f"connection error ({type(exc).__name__})"
    return f"client error ({type(exc).__name__}: {str(exc)[:60]})"


def is_5xx(outcome: str) -> bool:
    return outcome.isdigit() and outcome.startswith("5")


# --- the run --------------------------------------------------------------------------------

class Soak:
    def __init__(self, args: argparse.Namespace, queries: list[tuple[str, str]]) -> None:
        self.args = args
        self.queries = queries
        self.timeout = args.timeout
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.t0 = 0.0
        self.stop = asyncio.Event()
        self.ordinary: Counter[str] = Counter()
        self.ordinary_ms: list[float] = []
        self.ordinary_failures: list[dict] = []
        self.hostile: dict[str, dict] = {name: {"runs": 0, "outcomes": Counter(), "max_s": 0.0}
                                         for name, _ in self.cases()}
        self.samples: list[list] = []  # [t, tree RSS MiB, processes]
        self.health: list[list] = []  # [t, outcome, latency ms]
        self.died_at: float | None = None
        self.killed_for_memory: int | None = None
        self.load_s = 0.0

    def now(self) -> float:
        return time.monotonic() - self.t0

    # hostile cases: each returns one outcome, or a Counter of outcomes (idle sockets)
    def cases(self):
        return [("deep JSON-LD to /validate", self.case_deep_jsonld),
                ("cross-product ORDER BY", self.case_memory_hog),
                ("string doubled 24 times (CONSTRUCT)", self.case_string_doubling),
                ("15,000-part form to /validate", self.case_many_parts),
                ("unique ~120 KB query (POST)", self.case_unique_query),
                ("unique 100 KB Accept header", self.case_unique_accept),
                (f"{IDLE_SOCKETS} idle sockets held {IDLE_HOLD:.0f} s", self.case_idle),
                ("Content-Length 100000, 10 bytes sent", self.case_cut_body)]

    async def case_deep_jsonld(self) -> str:
        return str(await exchange(self.port, request_bytes(
            "POST", "/validate", self.port, {"Content-Type": "application/ld+json"},
            deep_jsonld())))

    async def case_memory_hog(self) -> str:
        return str(await exchange(self.port, request_bytes(
            "GET", "/sparql?query=" + quote(MEMORY_HOG, safe=""), self.port,
            {"Accept": JSON_RESULTS})))

    async def case_string_doubling(self) -> str:
        return str(await exchange(self.port, request_bytes(
            "GET", "/sparql?query=" + quote(string_doubling(), safe=""), self.port,
            {"Accept": "application/n-triples"})))

    async def case_many_parts(self) -> str:
        body, ctype = many_parts()
        return str(await exchange(self.port, request_bytes(
            "POST", "/validate", self.port, {"Content-Type": ctype}, body)))

    async def case_unique_query(self) -> str:
        return str(await exchange(self.port, request_bytes(
            "POST", "/sparql", self.port, {"Content-Type": "application/sparql-query",
                                           "Accept": JSON_RESULTS},
            unique_query().encode())))

    async def case_unique_accept(self) -> str:
        return str(await exchange(self.port, request_bytes(
            "GET", "/sparql?query=" + quote("ASK { ?s ?p ?o }", safe=""), self.port,
            {"Accept": unique_accept()})))

    async def case_idle(self) -> Counter:
        async def one() -> str:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, self.port), 5)
            except Exception as e:  # noqa: BLE001 - every failure is an outcome
                return "connect: " + outcome_of(e)
            try:
                data = await asyncio.wait_for(reader.read(4096), IDLE_HOLD)
                if not data:
                    return "closed by the server"
                parts = data.split(b" ", 2)
                return (parts[1].decode("ascii", "replace")
                        if len(parts) > 1 and data.startswith(b"HTTP/") else "answered")
            except TimeoutError:
                return "held open"
            except Exception as e:  # noqa: BLE001
                return outcome_of(e)
            finally:
                writer.close()
        return Counter(await asyncio.gather(*(one() for _ in range(IDLE_SOCKETS))))

    async def case_cut_body(self) -> str:
        head = (f"POST /validate HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                "Content-Type: text/turtle\r\nContent-Length: 100000\r\n"
                "Connection: close\r\n\r\n").encode()
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(head + b"<http://e/")
            await writer.drain()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 1)
        return "sent and disconnected"

    # the three kinds of client
    async def ordinary_client(self, k: int, end: float) -> None:
        requests = [(name, request_bytes("GET", "/sparql?query=" + quote(text, safe=""),
                                         self.port, {"Accept": JSON_RESULTS}, keep_alive=True))
                    for name, text in self.queries]
        conn = None
        for i in itertools.count(k * 5):
            if self.stop.is_set() or self.now() >= end or self.proc.poll() is not None:
                break
            name, raw = requests[i % len(requests)]
            t = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.wait_for(
                        asyncio.open_connection(HOST, self.port, limit=2**20), self.timeout)
                reader, writer = conn

                async def ask(reader=reader, writer=writer, raw=raw):
                    writer.write(raw)
                    await writer.drain()
                    return await read_answer(reader)

                status, close = await asyncio.wait_for(ask(), self.timeout)
                outcome = str(status)
                if close:
                    conn = self._close(conn)
            except Exception as e:  # noqa: BLE001 - every failure is an outcome
                outcome = outcome_of(e)
                conn = self._close(conn)
            self.ordinary[outcome] += 1
            if outcome == "200":
                self.ordinary_ms.append((time.perf_counter() - t) * 1e3)
            else:
                if len(self.ordinary_failures) < 20:
                    self.ordinary_failures.append({"t_s": round(self.now(), 2), "query": name,
                                                   "outcome": outcome})
                await asyncio.sleep(0.05)  # no tight loop against a refusing server
        self._close(conn)

    @staticmethod
    def _close(conn) -> None:
        if conn is not None:
            conn[1].close()
        return None

    async def hostile_client(self, k: int, end: float) -> None:
        cases = self.cases()
        for i in itertools.count(k * (len(cases) // max(1, self.args.hostile_clients))):
            if self.stop.is_set() or self.now() >= end or self.proc.poll() is not None:
                break
            name, run = cases[i % len(cases)]
            t = time.perf_counter()
            try:
                found = await asyncio.wait_for(run(), self.timeout)
            except Exception as e:  # noqa: BLE001
                found = outcome_of(e)
            case = self.hostile[name]
            case["runs"] += 1
            case["max_s"] = max(case["max_s"], time.perf_counter() - t)
            case["outcomes"].update(found if isinstance(found, Counter) else [found])

    async def sampler(self) -> None:
        probe: asyncio.Task | None = None
        limit = self.args.max_rss * 2**20
        while True:
            t = self.now()
            if self.proc.poll() is not None:
                if self.died_at is None:
                    self.died_at = t
                    self.stop.set()
                break
            rss, n = tree_rss(self.proc.pid)
            self.samples.append([round(t, 2), round(rss / 2**20, 1), n])
            if rss > limit and self.killed_for_memory is None:
                # Protect the machine: what the server would need here is recorded instead.
                self.killed_for_memory = rss
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
            if probe is None or probe.done():
                probe = asyncio.create_task(self.probe_health())
            await asyncio.sleep(SAMPLE_EVERY)

    async def probe_health(self) -> None:
        t, start = self.now(), time.perf_counter()
        try:
            outcome = str(await asyncio.wait_for(
                exchange(self.port, request_bytes("GET", "/health", self.port,
                                                  {"Accept": "application/json"})),
                HEALTH_TIMEOUT))
        except Exception as e:  # noqa: BLE001
            outcome = outcome_of(e)
        self.health.append([round(t, 2), outcome, round((time.perf_counter() - start) * 1e3, 2)])

    async def run(self) -> dict:
        hard_end = self.args.hard_end
        log = self.args.log or self.args.temp_log
        self.port = servers.free_port()
        argv = [sys.executable, "-m", "mali_kg", "serve", "--host", HOST, "--port",
                str(self.port), "--workers", str(self.args.workers)]
        loop = asyncio.get_running_loop()
        server = await loop.run_in_executor(None, lambda: servers.start(
            "mali-kg serve", argv, f"http://{HOST}:{self.port}/sparql", log=log,
            limit=min(START_LIMIT, hard_end - time.monotonic() - self.args.duration - 30)))
        self.proc = server.process
        self.t0 = time.monotonic()
        end = self.args.duration
        sampler = asyncio.create_task(self.sampler())
        clients = [asyncio.create_task(self.ordinary_client(k, end))
                   for k in range(self.args.clients)]
        clients += [asyncio.create_task(self.hostile_client(k, end))
                    for k in range(self.args.hostile_clients)]
        # No request starts after the end; those under way finish or time out, within the
        # time left before the server must be stopped.
        drain = min(end + self.timeout + 1, hard_end - time.monotonic() + self.now()
                    - STOP_WAIT - 3)
        _, pending = await asyncio.wait(clients, timeout=max(0.0, drain - self.now()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        unfinished = len(pending)
        alive = self.proc.poll() is None
        sampler.cancel()
        await asyncio.gather(sampler, return_exceptions=True)
        if alive and self.proc.poll() is not None:
            alive, self.died_at = False, self.now()
        if alive:
            rss, n = tree_rss(self.proc.pid)
            self.samples.append([round(self.now(), 2), round(rss / 2**20, 1), n])
        ran = self.now()
        status = await loop.run_in_executor(None, self.stop_server)
        self.load_s = min(end, self.died_at if self.died_at is not None else end)
        return self.summary(server.cold_start_s, ran, alive, status, unfinished, log)

    def stop_server(self) -> int | None:
        """SIGTERM to the server's process id; SIGKILL to its process group if it lingers."""
        proc = self.proc
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(STOP_WAIT)
        status = proc.poll()
        # Whatever is left in the server's own process group (its workers) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(2)
        return status

    def summary(self, cold_start: float, ran: float, alive: bool, status: int | None,
                unfinished: int, log: Path) -> dict:
        a = self.args
        ordinary_sent = sum(self.ordinary.values())
        ordinary_failed = ordinary_sent - self.ordinary["200"]
        ordinary_5xx = Counter({k: v for k, v in self.ordinary.items() if is_5xx(k)})
        hostile_5xx: Counter[str] = Counter()
        for case in self.hostile.values():
            hostile_5xx.update({k: v for k, v in case["outcomes"].items() if is_5xx(k)})
        ok_health = sorted(ms for _, outcome, ms in self.health if outcome == "200")
        rss = [s[1] for s in self.samples]
        problems = []
        if ordinary_failed:
            problems.append(f"{ordinary_failed} ordinary request(s) failed")
        if unfinished:
            problems.append(f"{unfinished} client(s) still waiting when the run was cut")
        bad = sorted(k for k in set(ordinary_5xx) | set(hostile_5xx) if k not in ("503", "504"))
        if bad:
            problems.append("5xx answers other than 503/504: " + ", ".join(bad))
        if self.killed_for_memory:
            problems.append(f"server stopped by the soak: tree RSS "
                            f"{self.killed_for_memory / 2**20:,.0f} MiB > {a.max_rss:,} MiB")
        elif not alive:
            problems.append(f"server exited during the run (t = {self.died_at:.1f} s, "
                            f"exit status {status})")
        elif status is None:
            problems.append(f"server still running {STOP_WAIT:.0f} s after SIGTERM (killed)")
        result = {
            "duration_s": a.duration, "load_s": round(self.load_s, 2), "ran_s": round(ran, 2),
            "clients": a.clients,
            "hostile_clients": a.hostile_clients, "timeout_s": self.timeout,
            "server": {"argv": ["python", "-m", "mali_kg", "serve", "--host", HOST,
                                "--port", str(self.port), "--workers", str(a.workers)],
                       "cold_start_s": round(cold_start, 3), "alive_at_end": alive,
                       "died_at_s": None if self.died_at is None else round(self.died_at, 2),
                       "exit_status": status,
                       "killed_for_memory_mib": None if self.killed_for_memory is None
                       else round(self.killed_for_memory / 2**20, 1),
                       "max_rss_limit_mib": a.max_rss, "log": str(log)},
            "ordinary": {"sent": ordinary_sent, "failed": ordinary_failed,
                         "outcomes": dict(self.ordinary.most_common()),
                         "5xx": sum(ordinary_5xx.values()),
                         "median_ms": _pct(sorted(self.ordinary_ms), 0.5),
                         "p99_ms": _pct(sorted(self.ordinary_ms), 0.99),
                         "max_ms": max(self.ordinary_ms, default=None),
                         "failure_examples": self.ordinary_failures},
            "hostile": {"runs": sum(c["runs"] for c in self.hostile.values()),
                        "5xx": sum(hostile_5xx.values()),
                        "cases": {name: {"runs": c["runs"], "max_s": round(c["max_s"], 2),
                                         "outcomes": dict(c["outcomes"].most_common())}
                                  for name, c in self.hostile.items()}},
            "rss_mib": {"start": rss[0] if rss else None, "max": max(rss, default=None),
                        "final": rss[-1] if rss else None},
            "health": {"probes": len(self.health),
                       "failed": len(self.health) - len(ok_health),
                       "outcomes": dict(Counter(o for _, o, _ in self.health).most_common()),
                       "p50_ms": _pct(ok_health, 0.5), "p99_ms": _pct(ok_health, 0.99),
                       "max_ms": ok_health[-1] if ok_health else None},
            "samples": self.samples, "health_samples": self.health,
            "passed": not problems, "problems": problems,
        }
        if problems:
            with contextlib.suppress(OSError):
                result["server"]["log_tail"] = log.read_text(errors="replace")[-3000:]
        return result


def _pct(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return statistics.median(ordered) if q == 0.5 else \
        ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# --- the report -----------------------------------------------------------------------------

def _ms(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}" if v < 100 else f"{v:,.0f}"


def _mib(v: float | None) -> str:
    return "–" if v is None else f"{v:,.0f} MiB"


def _outcomes(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} ×{v:,}" for k, v in counts.items()) or "–"


def table(r: dict) -> str:
    """The results as a Markdown table (measure | value)."""
    if "error" in r:
        return f"The soak did not run: {r['error']}"
    o, h, s, hl = r["ordinary"], r["hostile"], r["server"], r["health"]
    o_bad = {k: v for k, v in o["outcomes"].items() if k != "200"}
    rows = [
        ("run", f"{r['load_s']:.0f} s of load ({r['duration_s']:g} s asked), {r['ran_s']:.0f} s "
                f"with the requests under way at the end; {r['clients']} ordinary and "
                f"{r['hostile_clients']} hostile clients; client timeout {r['timeout_s']:g} s"),
        ("ordinary requests sent (example queries round robin)", f"{o['sent']:,}"),
        ("ordinary failures (not 200, or a client error)",
         f"{o['failed']:,}" + (f" ({_outcomes(o_bad)})" if o_bad else "")),
        ("ordinary latency, ms: median / p99 / max",
         f"{_ms(o['median_ms'])} / {_ms(o['p99_ms'])} / {_ms(o['max_ms'])}"),
        ("5xx answers: ordinary / hostile", f"{o['5xx']:,} / {h['5xx']:,}"),
    ]
    rows += [(f"hostile: {name} ({c['runs']:,} run{'' if c['runs'] == 1 else 's'}"
              + (f", slowest {c['max_s']:.1f} s)" if c["runs"] else ")"),
              _outcomes(c["outcomes"])) for name, c in h["cases"].items()]
    rss = r["rss_mib"]
    rows += [
        ("server process tree RSS: start / max / final",
         f"{_mib(rss['start'])} / {_mib(rss['max'])} / {_mib(rss['final'])}"),
        ("GET /health latency, ms: p50 / p99 / max",
         f"{_ms(hl['p50_ms'])} / {_ms(hl['p99_ms'])} / {_ms(hl['max_ms'])} "
         f"({hl['probes']:,} probes, {hl['failed']:,} failed"
         + (f": {_outcomes({k: v for k, v in hl['outcomes'].items() if k != '200'})}"
            if hl["failed"] else "") + ")"),
    ]
    if s.get("killed_for_memory_mib") is not None:
        state = (f"**stopped by the soak** at {s['killed_for_memory_mib']:,.0f} MiB "
                 f"(limit {s['max_rss_limit_mib']:,} MiB)")
    elif s["alive_at_end"] and s["exit_status"] is None:
        state = f"running at the end; **still running {STOP_WAIT:.0f} s after SIGTERM** (killed)"
    elif s["alive_at_end"]:
        state = f"running at the end; exit status {s['exit_status']} after SIGTERM"
    else:
        state = f"**exited during the run** at {s['died_at_s']:.1f} s, exit status " \
                f"{s['exit_status']}"
    rows.append(("server", state))
    rows.append(("verdict", "passed" if r["passed"] else
                 "**failed**: " + "; ".join(r["problems"])))
    return "\n".join(["| measure | value |", "|---|---|"]
                     + [f"| {a} | {b.replace('|', '/')} |" for a, b in rows])


# --- the command ----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.soak",
                                description=__doc__.splitlines()[0].strip("`: "))
    p.add_argument("--duration", type=float, default=300.0,
                   help="seconds of load (default 300)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    p.add_argument("--clients", type=int, default=4, help="ordinary clients (default 4)")
    p.add_argument("--hostile-clients", type=int, default=4,
                   help="hostile clients (default 4)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds any one request may take (default 30)")
    p.add_argument("--workers", type=int, default=1, help="the server's --workers (default 1)")
    p.add_argument("--max-rss", type=int, metavar="MIB",
                   help="stop the server if its process tree grows beyond this "
                   "(default: half the memory available at start)")
    p.add_argument("--log", type=Path, metavar="FILE",
                   help="the server's output (default: a file in the temporary directory)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.hard_end = time.monotonic() + args.duration + SLACK
    args.temp_log = Path(tempfile.gettempdir()) / f"mali-kg-soak-{os.getpid()}.log"
    if args.max_rss is None:
        args.max_rss = available_memory() // 2 // 2**20
    from .inprocess import example_queries

    soak = Soak(args, example_queries())
    try:
        result = asyncio.run(asyncio.wait_for(soak.run(), args.hard_end - time.monotonic()))
    except Exception as e:  # noqa: BLE001 - the server could not start, or the run overran
        if soak.proc is not None:
            soak.stop_server()
        result = {"error": f"{type(e).__name__}: {e}", "passed": False,
                  "duration_s": args.duration}
    if result.get("passed") and not args.log:
        args.temp_log.unlink(missing_ok=True)  # kept, and named in the results, on failure
        result["server"]["log"] = None
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(table(result))
    return 0 if result.get("passed") else 1


if __name__ == "__main__":
    sys.exit(main())
