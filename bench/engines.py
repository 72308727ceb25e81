"""Real SPARQL engines on free 127.0.0.1 ports, for the tests and the benchmark.

* Oxigraph server (PyPI ``oxigraph``, the same engine as the embedded store), in memory;
* Virtuoso 7.2 (Debian ``virtuoso-opensource``), with an ini file and a database of its own
  in a fresh folder.

Each starts empty, in a process group of its own, and is stopped by its process id
(:func:`.servers.stop_process`). :func:`load_native` fills one with the engine's own bulk
path; ``mali-kg load --into`` is the protocol path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mali_kg.server.limits import die_with_parent

from .servers import free_port, stop_process

VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"  # the database's own, on loopback only
INSTALL = {
    "oxigraph": "uv sync (the 'oxigraph' package is in the dev and bench groups)",
    "virtuoso": "apt-get install virtuoso-opensource (Debian; .ci/run installs it)",
}


@dataclass
class Engine:
    name: str
    process: subprocess.Popen
    query_url: str  # SPARQL 1.1 query endpoint
    store_url: str  # Graph Store Protocol endpoint for writes
    user: str | None
    password: str | None
    folder: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def oxigraph_command() -> str | None:
    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else shutil.which("oxigraph")


def virtuoso_command() -> str | None:
    return shutil.which("virtuoso-t")


def missing(name: str) -> str | None:
    """Why ``name`` cannot start here (with the install command), or None."""
    command = oxigraph_command() if name == "oxigraph" else virtuoso_command()
    return None if command else f"{name} is not installed: {INSTALL[name]}"


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Engine]:
    """Oxigraph server in memory; the default graph is the union of the named graphs."""
    command = oxigraph_command()
    if command is None:
        raise RuntimeError(missing("oxigraph"))
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    process = _start([command, "serve", "--bind", f"127.0.0.1:{port}",
                      "--union-default-graph"], folder / "oxigraph.log")
    engine = Engine("oxigraph", process, f"{base}/query", f"{base}/store", None, None, folder)
    try:
        _wait(engine, lambda: _answers(engine.query_url))
        yield engine
    finally:
        stop_process(process)


@contextmanager
def virtuoso(folder: Path, *, max_seconds: int = 30) -> Iterator[Engine]:
    """Virtuoso 7.2 with its database in ``folder``; ready when it says "Server online"."""
    command = virtuoso_command()
    if command is None:
        raise RuntimeError(missing("virtuoso"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    (folder / "load").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(folder, sql_port, http_port, max_seconds), encoding="utf-8")
    log = folder / "virtuoso.log"
    process = _start([command, "+foreground", "+configfile", str(ini)], folder / "stdout.log")
    base = f"http://127.0.0.1:{http_port}"
    engine = Engine("virtuoso", process, f"{base}/sparql", f"{base}/sparql-graph-crud-auth",
                    VIRTUOSO_USER, VIRTUOSO_PASSWORD, folder)
    engine.sql_port = sql_port  # type: ignore[attr-defined]
    try:
        _wait(engine, lambda: log.exists() and "Server online" in log.read_text(
            errors="replace") and _answers(engine.query_url))
        yield engine
    finally:
        stop_process(process)


def load_native(engine: Engine, nquads: Path) -> None:
    """Load an N-Quads file with the engine's own bulk path (graphs kept)."""
    if engine.name == "oxigraph":
        req = urllib.request.Request(engine.store_url, data=nquads.read_bytes(), method="POST",
                                     headers={"Content-Type": "application/n-quads"})
        with urllib.request.urlopen(req, timeout=600) as r:
            r.read()
        return
    target = engine.folder / "load" / nquads.name
    shutil.copyfile(nquads, target)
    isql(engine, f"ld_dir('{target.parent}', '{target.name}', 'urn:x-mali-kg:default'); "
         "rdf_loader_run(); checkpoint;")


def isql(engine: Engine, statements: str) -> str:
    isql_command = shutil.which("isql-vt") or shutil.which("isql")
    if isql_command is None:
        raise RuntimeError(missing("virtuoso"))
    out = subprocess.run([isql_command, f"127.0.0.1:{engine.sql_port}",  # type: ignore[attr-defined]
                          engine.user, engine.password, f"exec={statements}"],
                         capture_output=True, text=True, timeout=600, check=False)
    if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
        raise RuntimeError(f"isql failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
    return out.stdout


def _virtuoso_ini(folder: Path, sql_port: int, http_port: int, max_seconds: int) -> str:
    return textwrap.dedent(f"""\
        [Database]
        DatabaseFile = {folder}/virtuoso.db
        ErrorLogFile = {folder}/virtuoso.log
        LockFile = {folder}/virtuoso.lck
        TransactionFile = {folder}/virtuoso.trx
        xa_persistent_file = {folder}/virtuoso.pxa
        ErrorLogLevel = 7
        FileExtend = 200
        MaxCheckpointRemap = 2000
        Striping = 0
        TempStorage = TempDatabase

        [TempDatabase]
        DatabaseFile = {folder}/virtuoso-temp.db
        TransactionFile = {folder}/virtuoso-temp.trx
        MaxCheckpointRemap = 2000
        Striping = 0

        [Parameters]
        ServerPort = 127.0.0.1:{sql_port}
        DisableUnixSocket = 1
        DirsAllowed = ., {folder}/load
        NumberOfBuffers = 20000
        MaxDirtyBuffers = 15000
        CheckpointInterval = 0
        ThreadsPerQuery = 2
        MaxClientConnections = 16

        [HTTPServer]
        ServerPort = 127.0.0.1:{http_port}
        ServerRoot = {folder}/vsp
        ServerThreads = 16
        MaxClientConnections = 16
        MaxKeepAlives = 16
        KeepAliveTimeout = 10
        EnabledDavVSP = 0
        EnabledGzipContent = 0

        [SPARQL]
        ResultSetMaxRows = 1000000
        MaxQueryExecutionTime = {max_seconds}
        MaxQueryCostEstimationTime = 0
        """)


def _start(argv: list[str], log: Path) -> subprocess.Popen:
    """Start an engine in a session of its own, killed with the process that started it even
    if that one is killed before it can stop it."""
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    parent = os.getpid()
    return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                            cwd=log.parent, preexec_fn=lambda: die_with_parent(parent))


def _wait(engine: Engine, ready, limit: float = 60.0) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if engine.process.poll() is not None:
            raise RuntimeError(f"{engine.name} exited with {engine.process.returncode}; see "
                               f"{engine.folder}")
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{engine.name} did not answer within {limit:.0f} s; see {engine.folder}")


def _answers(url: str) -> bool:
    query = urllib.parse.quote("ASK { ?s ?p ?o }")
    req = urllib.request.Request(f"{url}?query={query}",
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 200
    except (OSError, urllib.error.URLError):
        return False
