"""The ``mali-kg`` command: the only module that prints and turns errors into exit codes.

Exit codes: 0 success (or: the data conforms), 1 the data does not conform, 2 error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import MaliKGError

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mali-kg",
        description="Knowledge graph of the article on UN Security Council Resolution 2690 "
        "(2023) ending MINUSMA: query, validate, export and serve it.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the SPARQL endpoint, Linked Data server and UI")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", help="base URL clients see, e.g. https://example.org/ "
                   "(default: taken from each request)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds a query may run before it is stopped (default 10)")
    p.add_argument("--workers", type=int, default=1,
                   help="query worker processes (default 1)")
    p.add_argument("--store", metavar="DIR",
                   help="serve an on-disk store made by 'mali-kg load' instead of the "
                   "bundled graph")
    p.add_argument("--max-rows", type=int, default=10_000,
                   help="result rows returned at most; more are cut and flagged (default 10000)")
    p.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                   help="allow SERVICE calls to this endpoint IRI (repeatable; none by default)")
    p.set_defaults(run=_serve)

    p = sub.add_parser("validate", help="check RDF files (default: the bundled graph) "
                       "against the bundled SHACL shapes")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="Turtle, N-Triples, JSON-LD or TriG files to validate")
    p.add_argument("--format", choices=["text", "turtle", "json"], default="text")
    p.set_defaults(run=_validate)

    p = sub.add_parser("query", help="run a SPARQL query on the embedded store")
    p.add_argument("query", metavar="QUERY|FILE", help="a query, or a file holding one")
    p.add_argument("--format", choices=["table", "json", "csv", "tsv", "xml", "turtle",
                                        "ntriples", "jsonld"], default="table")
    p.set_defaults(run=_query)

    p = sub.add_parser("export", help="write the whole graph in an RDF format")
    p.add_argument("--format", choices=["ttl", "nt", "nq", "trig", "jsonld", "rdfxml"],
                   default="ttl")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    p.set_defaults(run=_export)

    p = sub.add_parser("info", help="counts: triples, resources per class, statements, claims, "
                       "conflicts, anchors")
    p.set_defaults(run=_info)

    p = sub.add_parser("build", help="regenerate data/mali-kg.ttl from its source "
                       "(anchors computed from the article)")
    p.add_argument("--check", action="store_true",
                   help="exit 1 if the committed file is stale instead of writing it")
    p.set_defaults(run=_build)

    p = sub.add_parser("load", help="load the bundled graph (or FILEs) into an on-disk store")
    p.add_argument("--store", required=True, metavar="DIR")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.set_defaults(run=_load)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MaliKGError as e:
        print(f"mali-kg: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:
        print(f"mali-kg: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _serve(args: argparse.Namespace) -> int:
    from .server import serve

    serve(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        timeout=args.timeout,
        workers=args.workers,
        store_path=args.store,
        max_rows=args.max_rows,
        allowed_services=args.allow_service,
    )
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _query(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _export(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _info(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _build(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _load(args: argparse.Namespace) -> int:
    raise NotImplementedError


if __name__ == "__main__":
    sys.exit(main())
