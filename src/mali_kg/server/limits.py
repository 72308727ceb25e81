"""Limits a process puts on itself: its memory, its open files, and its life (it ends with
its parent)."""

from __future__ import annotations

import contextlib
import os
import signal


def limit_memory(extra: int) -> None:
    """Let this process grow by at most ``extra`` bytes of address space from now on
    (``RLIMIT_AS``): past it, allocations fail instead of the machine running out of memory."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as f:
            size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))
    except (ImportError, OSError, StopIteration, ValueError):
        pass  # not Linux: the time limits still apply


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when the thread that started it ends
    (``PR_SET_PDEATHSIG``, Linux; elsewhere the parent's pipes closing stop it)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def allow_open_files(needed: int) -> None:
    """Raise the soft limit on open files to ``needed`` (at most the hard limit): a server
    at its connection limit must still be able to accept, answer and close."""
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < needed:
            target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
