"""Translated plans kept on disk from one process to the next.

Translating the bundled shapes takes about half a second, most of it rdflib parsing the
SHACL-SPARQL constraints, and every ``mali-kg validate --engine sparql`` is a new process. A
plan depends only on the shapes file (its bytes and its format), the code that reads and
translates it and the libraries that code uses, so it is kept, pickled, under
``$XDG_CACHE_HOME/mali-kg/plans`` (``~/.cache/mali-kg/plans`` by default), named by a hash of
all of them: a change to any one of them is another name, never a stale plan.

A pickle runs code when it is read, as the ``.pyc`` files Python keeps do: a plan is read only
from a folder and a file that belong to the user and that no one else can write to. A folder
that cannot be made or written to, or a file that cannot be read, means translating again;
validation never fails because of the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path

from .translate import Plan


def key(shapes: bytes, suffix: str) -> str:
    """The name of the plan of a shapes file with these bytes and this extension."""
    digest = hashlib.sha256(_code())
    digest.update(suffix.lower().encode() + b"\0")
    digest.update(shapes)
    return digest.hexdigest()


def load(name: str) -> Plan | None:
    """The plan kept under ``name``, or None."""
    folder = _folder(create=False)
    if folder is None:
        return None
    try:
        with open(folder / f"{name}.pickle", "rb") as f:
            if not _private(os.fstat(f.fileno())):
                return None
            plan = pickle.load(f)
    except Exception:  # missing, unreadable, or written by another version of a library
        return None
    return plan if isinstance(plan, Plan) else None


def store(name: str, plan: Plan) -> None:
    """Keep ``plan`` under ``name`` (written whole, then renamed: readers never see half)."""
    folder = _folder(create=True)
    if folder is None:
        return
    written = None
    try:
        fd, written = tempfile.mkstemp(dir=folder, suffix=".tmp")  # readable by the user only
        with os.fdopen(fd, "wb") as f:
            pickle.dump(plan, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, folder / f"{name}.pickle")
    except Exception:  # a full disk, a plan that cannot be pickled: translate next time
        if written is not None:
            with contextlib.suppress(OSError):
                os.unlink(written)


def _folder(*, create: bool) -> Path | None:
    """The cache folder, when it is the user's own and only the user can write to it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "mali-kg" / "plans"
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder if _private(os.stat(folder)) else None
    except OSError:
        return None


def _private(st: os.stat_result) -> bool:
    uid = getattr(os, "getuid", None)  # none on Windows: no cache there
    return uid is not None and st.st_uid == uid() and \
        not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@cache
def _code() -> bytes:
    """What a plan is made with: this package's code, the versions of Python and of the
    libraries that parse shapes and queries."""
    import pyoxigraph
    import rdflib

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{sys.version}\0{rdflib.__version__}\0"
                            f"{pyoxigraph.__version__}\0".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.digest()
