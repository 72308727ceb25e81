"""Translated plans kept on disk from one process to the next.

Translating the bundled shapes takes about half a second, most of it rdflib parsing the
SHACL-SPARQL constraints, and every ``mali-kg validate --engine sparql`` is a new process. A
plan depends on the shapes file (its bytes and its format), the code that reads and
translates it, the bundled ontology and shapes (a JSON-LD file's context is built from them)
and the libraries that code uses, so it is kept, pickled, named by a hash of all of them: a
change to any one of them is another name. The folder is ``$MALI_KG_CACHE_DIR/plans`` when
that is set, else ``$XDG_CACHE_HOME/mali-kg/plans`` (``~/.cache/mali-kg/plans``); the newest
``KEEP`` plans are kept.

A pickle runs code when it is read, as the ``.pyc`` files Python keeps do. A plan is read only
from a folder the user owns, reached without symbolic links from a folder that only the user
can write to, and only from a regular file the user owns, with one name, that no one else can
write to. A folder that cannot be made or used, or a file that cannot be read, means
translating again: validation never fails because of the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import secrets
import stat
import sys
import time
from functools import cache
from pathlib import Path

from .. import resources
from .translate import Plan

KEEP = 8
_STALE_PART_S = 3600.0  # a part written by a process that died before renaming it
_SUPPORTED = hasattr(os, "O_NOFOLLOW") and hasattr(os, "getuid") and \
    os.open in os.supports_dir_fd


def key(shapes: bytes, suffix: str) -> str | None:
    """The name of the plan of a shapes file with these bytes and this extension; None when
    the code it is made with cannot be read (a package imported from a zip file)."""
    code = _code()
    if code is None:
        return None
    digest = hashlib.sha256(code)
    digest.update(suffix.lower().encode() + b"\0")
    digest.update(shapes)
    return digest.hexdigest()


def load(name: str) -> Plan | None:
    """The plan kept under ``name``, or None."""
    folder = _open_folder(create=False)
    if folder is None:
        return None
    try:
        fd = os.open(f"{name}.pickle", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK,
                     dir_fd=folder)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not (stat.S_ISREG(st.st_mode) and st.st_nlink == 1 and _private(st)):
                return None
            plan = pickle.load(f)
    except Exception:  # missing, unreadable, or written with another version of a library
        return None
    finally:
        os.close(folder)
    return plan if isinstance(plan, Plan) else None


def store(name: str, plan: Plan) -> None:
    """Keep ``plan`` under ``name``: written whole under a name of its own, then renamed, so
    that readers and other writers never see half of one."""
    folder = _open_folder(create=True)
    if folder is None:
        return
    part = f"{name}.{secrets.token_hex(8)}.tmp"
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                     dir_fd=folder)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(plan, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, f"{name}.pickle", src_dir_fd=folder, dst_dir_fd=folder)
        _prune(folder)
    except Exception:  # a full disk, a plan that cannot be pickled: translate next time
        with contextlib.suppress(OSError):
            os.unlink(part, dir_fd=folder)
    finally:
        os.close(folder)


def _open_folder(*, create: bool) -> int | None:
    """A descriptor of the plans folder when it may be used (see the module's docstring)."""
    if not _SUPPORTED:
        return None
    own = os.environ.get("MALI_KG_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = os.path.expanduser("~")
    if own:
        base, chain = Path(own).parent, [Path(own)]
    else:  # a relative XDG_CACHE_HOME is to be ignored (XDG Base Directory Specification)
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path(home) / ".cache"
        chain = [base / "mali-kg"]
    chain.append(chain[0] / "plans")
    if not base.is_absolute():  # no home folder to be found
        return None
    try:
        if create:
            for folder in [base, *chain]:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(folder, 0o700)
        if not _private(os.stat(base)):  # only the user can rename what is in it
            return None
        for folder in chain:
            st = os.lstat(folder)
            if not (stat.S_ISDIR(st.st_mode) and _private(st)):
                return None
        fd = os.open(chain[-1], os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode) and _private(st):
        return fd
    os.close(fd)
    return None


def _private(st: os.stat_result) -> bool:
    """Owned by the user, and no one else may write to it."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(folder: int) -> None:
    """Keep the newest ``KEEP`` plans, and no part older than an hour."""
    plans, now = [], time.time()
    with os.scandir(folder) as entries:
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            if entry.name.endswith(".pickle"):
                plans.append((st.st_mtime, entry.name))
            elif entry.name.endswith(".tmp") and now - st.st_mtime > _STALE_PART_S:
                os.unlink(entry.name, dir_fd=folder)
    for _, name in sorted(plans, reverse=True)[KEEP:]:
        os.unlink(name, dir_fd=folder)


@cache
def _code() -> bytes | None:
    """What a plan is made with: this package's code, the bundled ontology and shapes, and
    the versions of Python and of the libraries that parse shapes and queries."""
    import pyoxigraph
    import rdflib

    package = Path(__file__).resolve().parents[1]
    sources = sorted(package.rglob("*.py"))
    # rdflib's SPARQL parser is pyparsing: its version is in the file read here (importing it
    # would cost a tenth of a second that a kept plan saves).
    pyparsing = importlib.util.find_spec("pyparsing")
    if not sources or pyparsing is None or pyparsing.origin is None:
        return None
    digest = hashlib.sha256(f"{sys.version}\0{rdflib.__version__}\0"
                            f"{pyoxigraph.__version__}\0".encode())
    for path in sources:
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    for path in (Path(pyparsing.origin), resources.ontology_file(), resources.shapes_file()):
        digest.update(path.read_bytes())
    return digest.digest()
