"""The serving process: the web app under uvicorn, on a socket the supervisor listens on.

Run by :mod:`.supervisor` as ``python -m mali_kg.server.serving FD SETTINGS_JSON BASE LOG_FD``:
the listening socket, the settings, the URL announced once the workers answer (empty after a
restart) and where the access log goes. The app is assembled here: the server's routes with
the HTML layer of :mod:`mali_kg.pages` (its renderer, and its router of pages).
"""

from __future__ import annotations

import os
import socket
import sys

from .limits import allow_open_files, die_with_parent
from .supervisor import decode


def main(argv: list[str]) -> None:
    fd, settings_json, base, log_fd = int(argv[0]), argv[1], argv[2], int(argv[3])
    die_with_parent(os.getppid())
    settings = decode(settings_json)
    # Room for every allowed connection, the one over the limit being refused, and the rest.
    allow_open_files(2 * settings.max_connections + 256)

    import uvicorn

    from .. import pages
    from . import create_app
    from .connections import ConnectionLimits, limited_protocol

    def announce() -> None:
        if base:
            print(f"mali-kg: serving on {base}/ (SPARQL endpoint and query editor at "
                  f"{base}/sparql); press Ctrl-C to stop.", file=sys.stderr, flush=True)

    log = os.fdopen(log_fd, "w", buffering=1, encoding="utf-8")  # the access log, by line
    app = create_app(settings, renderer=pages.Renderer(), extra_routers=[pages.router],
                     on_ready=announce, log_stream=log)
    protocol = limited_protocol(ConnectionLimits(
        max_connections=settings.max_connections, header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout, max_header_bytes=settings.max_header_bytes))
    config = uvicorn.Config(app, http=protocol, access_log=False, log_level="warning",
                            server_header=False, proxy_headers=False,
                            timeout_keep_alive=settings.keep_alive,
                            timeout_graceful_shutdown=5)
    sock = socket.socket(fileno=fd)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
