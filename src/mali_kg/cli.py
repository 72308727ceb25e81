"""The ``mali-kg`` command: the only module that prints and turns errors into exit codes.

Exit codes: 0 success, 1 failure (``validate``: a result at or above ``--fail-on``; ``build
--check``: stale files), 2 error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import MaliKGError

# Query workers over --backend by default: each mostly waits for the engine, so more of them
# keep the engine busy, and they share processes (four threads to a process; see decision 13).
BACKEND_WORKERS = 15

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
    p.add_argument("--timeout", type=_positive(float), default=10.0,
                   help="seconds a query may run before it is stopped (default 10)")
    p.add_argument("--workers", type=_positive(int), default=None,
                   help="query workers, each running one query at a time (default 1, a "
                   "process each; over --backend 15, four threads to a process: there they "
                   "mostly wait for the engine)")
    p.add_argument("--serving-processes", type=_positive(int), default=1, metavar="N",
                   help="HTTP serving processes sharing the port, each with its own "
                   "--workers (default 1; on a machine with several cores, one per core)")
    p.add_argument("--store", metavar="DIR",
                   help="serve an on-disk store made by 'mali-kg load' instead of the "
                   "bundled graph")
    p.add_argument("--max-rows", type=_positive(int), default=10_000,
                   help="result rows returned at most; more are cut and flagged (default 10000)")
    p.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                   help="allow SERVICE calls to this endpoint IRI (repeatable; none by default)")
    limits = p.add_argument_group("limits (what one client can make the server do)")
    limits.add_argument("--max-memory", type=_positive(int), default=512, metavar="MIB",
                        help="memory one query or validation may take, in MiB, on top of "
                        "what its worker holds at start (default 512)")
    limits.add_argument("--max-output", type=_positive(int), default=32, metavar="MIB",
                        help="bytes of one answer, in MiB; longer answers are cut and flagged "
                        "(default 32)")
    limits.add_argument("--max-connections", type=_positive(int), default=256,
                        help="open connections at most; more are answered 503 (default 256)")
    limits.add_argument("--header-timeout", type=_positive(float), default=10.0,
                        metavar="SECONDS", help="time for a request's line and headers to "
                        "arrive (default 10)")
    limits.add_argument("--body-timeout", type=_positive(float), default=30.0,
                        metavar="SECONDS", help="time for a request's body to arrive "
                        "(default 30)")
    limits.add_argument("--keep-alive", type=_positive(float), default=5.0, metavar="SECONDS",
                        help="idle keep-alive connections are closed after this (default 5)")
    limits.add_argument("--max-header-bytes", type=_positive(int), default=64 * 1024,
                        metavar="BYTES", help="request headers at most; the URL may take "
                        "64 KiB more (default 65536)")
    remote = p.add_argument_group(
        "a remote SPARQL engine (instead of the embedded store)",
        "Queries are inspected here, then sent to the engine as standard SPARQL 1.1 with the "
        "served graphs as their dataset. Its password: the URL's user part, the "
        "MALI_KG_BACKEND_PASSWORD environment variable, or ~/.netrc.")
    remote.add_argument("--backend", metavar="URL",
                        help="the SPARQL 1.1 query endpoint of an engine holding the graphs "
                        "(load them with 'mali-kg load --into')")
    remote.add_argument("--backend-user", metavar="USER", help="user for HTTP authentication")
    remote.add_argument("--backend-graph", action="append", default=[], metavar="IRI",
                        help="a named graph to serve (repeatable; default: the bundled graphs)")
    remote.add_argument("--allow-function", action="append", default=[], metavar="IRI",
                        help="an engine's extension function queries may call (repeatable; "
                        "none by default: only SPARQL 1.1)")
    remote.add_argument("--cache-ttl", type=float, default=0.0, metavar="SECONDS",
                        help="keep answers and pages from the engine this long (default 0: "
                        "never, as the engine's data may change)")
    p.set_defaults(run=_serve)

    p = sub.add_parser(
        "validate", help="check RDF files (default: the bundled graph) against SHACL shapes "
        "(default: the bundled shapes)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Validate RDF against SHACL shapes and print the report.\n\n"
        "As the SHACL specification says, the report conforms (sh:conforms true) only when it "
        "has no\nresult at all, warnings and infos included. The exit status weighs the "
        "results by severity:\n"
        "  0  no result at or above the --fail-on severity (default: violation; the bundled "
        "graph\n     has one warning and five infos, so it exits 0 but does not conform)\n"
        "  1  a result at or above the --fail-on severity\n"
        "  2  an error: a file that does not parse, or shapes the sparql engine does not "
        "translate\n     (it names them; it never skips a constraint)\n\n"
        "Against the bundled shapes, the ontology's class hierarchy is added to the data; "
        "against\n--shapes, the data is validated as given.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="RDF files to validate (.ttl, .nt, .jsonld, .rdf, .trig, .nq)")
    p.add_argument("--shapes", action="append", metavar="FILE",
                   help="a shapes file to validate against instead of the bundled shapes "
                   "(repeatable: the files are merged)")
    p.add_argument("--format", choices=["text", "turtle", "json"], default="text")
    p.add_argument("--engine", choices=["pyshacl", "sparql"], default=None,
                   help="pyshacl (default for files and the bundled graph) or sparql: the "
                   "shapes translated to SPARQL and run on Oxigraph, for large graphs; it "
                   "refuses, by name, shapes it does not translate, and keeps each "
                   "translation for the next run (in $MALI_KG_CACHE_DIR, else "
                   "$XDG_CACHE_HOME/mali-kg, else ~/.cache/mali-kg)")
    p.add_argument("--store", metavar="DIR",
                   help="validate an on-disk store made by 'mali-kg load' (read-only; "
                   "always the sparql engine)")
    p.add_argument("--endpoint", metavar="URL",
                   help="validate the graphs a SPARQL engine holds, through its SPARQL 1.1 "
                   "query endpoint (always the sparql engine; see 'serve --backend')")
    p.add_argument("--graph", action="append", default=[], metavar="IRI",
                   help="with --endpoint: a named graph to validate (repeatable; default: "
                   "the bundled graphs)")
    p.add_argument("--user", metavar="USER", help="with --endpoint: user for HTTP "
                   "authentication (the password in MALI_KG_BACKEND_PASSWORD or ~/.netrc)")
    p.add_argument("--fail-on", choices=["violation", "warning", "info"], default="violation",
                   help="the least severe result that makes the exit status 1 (default: "
                   "violation)")
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

    p = sub.add_parser("build", help="regenerate data/mali-kg.ttl and data/void.ttl from the "
                       "source (anchors computed from the article)")
    p.add_argument("--check", action="store_true",
                   help="exit 1 if the committed file is stale instead of writing it")
    p.set_defaults(run=_build)

    p = sub.add_parser("load", help="load the bundled graph (or FILEs) into an on-disk store, "
                       "or into a SPARQL engine")
    into = p.add_mutually_exclusive_group(required=True)
    into.add_argument("--store", metavar="DIR", help="an on-disk store for 'serve --store'")
    into.add_argument("--into", metavar="URL",
                      help="an engine's SPARQL 1.1 Graph Store Protocol endpoint (e.g. "
                      "Oxigraph server's /store, Virtuoso's /sparql-graph-crud-auth): each "
                      "named graph is replaced, in batches")
    p.add_argument("--user", metavar="USER", help="user for the engine's HTTP authentication "
                   "(basic or digest; the password as for 'serve --backend')")
    p.add_argument("--graph", metavar="IRI",
                   help="the graph FILEs go into (default: the data graph); N-Quads and TriG "
                   "keep their own")
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
        where = f"{e.filename}: " if e.filename else ""
        print(f"mali-kg: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .server import Settings, serve

    if args.store and not Path(args.store).is_dir():
        raise MaliKGError(f"{args.store}: no store there (make one with "
                          "'mali-kg load --store DIR')")
    if args.store and args.backend:
        raise MaliKGError("--store and --backend name two stores; give one.")
    settings = Settings(
        backend=_backend(args.backend, args.backend_user, args.backend_graph,
                         args.allow_function, args.timeout) if args.backend else None,
        cache_ttl=args.cache_ttl,
        public_url=args.public_url, timeout=args.timeout,
        workers=args.workers or (BACKEND_WORKERS if args.backend else 1),
        serving_processes=args.serving_processes,
        store_path=args.store, max_rows=args.max_rows,
        allowed_services=frozenset(args.allow_service),
        max_memory=args.max_memory * 2**20, max_output=args.max_output * 2**20,
        max_connections=args.max_connections, header_timeout=args.header_timeout,
        body_timeout=args.body_timeout, keep_alive=args.keep_alive,
        max_header_bytes=args.max_header_bytes)
    serve(settings, host=args.host, port=args.port)
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import resources
    from .errors import InputError

    where = [w for w in ("--store" if args.store else None, "--endpoint" if args.endpoint
                         else None, "FILEs" if args.files else None) if w]
    if len(where) > 1:
        raise MaliKGError(f"Give one of {' and '.join(where)}, not both.")
    if (args.store or args.endpoint) and args.engine == "pyshacl":
        raise MaliKGError(f"{where[0]} is validated with the sparql engine only.")
    try:
        from .validate import load_shapes

        shapes = load_shapes(args.shapes) if args.shapes else None
        files = args.files or [resources.data_file()]
        if args.store or args.endpoint or args.engine == "sparql":
            from . import shacl_sparql, store

            if args.endpoint:
                from .remote import RemoteError, RemoteStore

                remote = RemoteStore(_backend(args.endpoint, args.user, args.graph, (), 300.0))
                try:
                    report = shacl_sparql.validate_store(remote, shapes)
                except RemoteError as e:
                    raise MaliKGError(f"{remote.backend.url}: {e.message[:500]}") from None
            elif args.store:
                if not Path(args.store).is_dir():
                    raise MaliKGError(f"{args.store}: no store there (make one with "
                                      "'mali-kg load --store DIR')")
                s = store.open_store(path=Path(args.store), read_only=True)
                if shapes is None:
                    _warn_without_class_hierarchy(s)
                report = shacl_sparql.validate_store(s, shapes)
            else:
                report = shacl_sparql.validate_files(files, shapes)
        else:
            from .validate import validate_files

            report = validate_files(files, shapes)
    except InputError as e:
        print(f"mali-kg: {e}", file=sys.stderr)
        print("mali-kg: fix the file and validate it again.", file=sys.stderr)
        return EXIT_ERROR
    rendered = {"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}
    sys.stdout.write(rendered[args.format]())
    return EXIT_NONCONFORMING if report.fails(args.fail_on.capitalize()) else EXIT_OK


def _warn_without_class_hierarchy(s) -> None:
    """SHACL takes class membership from the data graph: a store without the ontology does
    not know that an mk:Person is an mk:Actor."""
    from .namespaces import MK, RDFS

    ask = (f"ASK {{ ?c <{RDFS}subClassOf> ?d FILTER(STRSTARTS(STR(?c), \"{MK}\")) }}")
    if not bool(s.query(ask, use_default_graph_as_union=True)):
        print("mali-kg: warning: the store holds no class hierarchy of the ontology "
              "(rdfs:subClassOf), so shapes that target a class see only its direct "
              "instances; load ontology/mali-kg.ttl into the store with the data.",
              file=sys.stderr)


def _query(args: argparse.Namespace) -> int:

    import pyoxigraph as ox

    from . import store
    from .formats import RdfFormat, ResultFormat

    text = _query_text(args.query)
    _refuse_unsafe(text)
    result = store.run_query(store.open_store(), text)
    out = sys.stdout
    if isinstance(result, ox.QueryTriples):
        if args.format not in _GRAPH_FORMATS:
            raise MaliKGError(f"--format {args.format} is for SELECT and ASK results; a "
                              "CONSTRUCT or DESCRIBE gives a graph: use turtle, ntriples or "
                              "jsonld.")
        fmt = RdfFormat.lookup(_GRAPH_FORMATS[args.format])
        graph = ox.Store()
        graph.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in result)
        out.write(store.dump(graph, fmt).decode("utf-8"))
    elif args.format in _GRAPH_FORMATS and args.format != "table":
        raise MaliKGError(f"--format {args.format} is for graphs; SELECT and ASK results come "
                          "as table, json, csv, tsv or xml.")
    elif args.format == "table":
        out.write(_table(result))
    else:
        out.write(result.serialize(format=ResultFormat.lookup(args.format).oxigraph)
                  .decode("utf-8"))
        out.write("\n")
    return EXIT_OK


# --format values that apply to CONSTRUCT/DESCRIBE (table prints Turtle), and their RDF format.
_GRAPH_FORMATS = {"table": "turtle", "turtle": "turtle", "ntriples": "ntriples",
                  "jsonld": "jsonld"}


def _query_text(argument: str) -> str:
    """The query: the argument itself, or the file it names."""
    from pathlib import Path

    looks_like_a_file = "\n" not in argument and len(argument) < 4096 and (
        argument.endswith((".rq", ".sparql")) or Path(argument).exists())
    if not looks_like_a_file:
        return argument
    path = Path(argument)
    if path.is_dir():
        raise MaliKGError(f"{argument} is a directory; give a query or a query file.")
    return path.read_text(encoding="utf-8")  # a missing file raises FileNotFoundError


def _refuse_unsafe(text: str) -> None:
    """The command line refuses what the endpoint refuses: updates and SERVICE calls."""
    from .gate import InspectionError, inspect_query

    try:
        inspect_query(text, max_bytes=10 * 2**20, max_depth=100)
    except InspectionError as e:
        raise MaliKGError(e.message) from None


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _table(result) -> str:
    """A plain-text table of SELECT rows, or the ASK answer."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return f"{'true' if bool(result) else 'false'}\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(row[n]) for n in names] for row in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    parts = [line(names), "-+-".join("-" * w for w in widths)]
    parts += [line(r) for r in rows]
    parts.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(parts) + "\n"


def _cell(term) -> str:
    if term is None:
        return ""
    import pyoxigraph as ox

    from .namespaces import compact

    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value.replace("\n", " ")
    return str(term)


def _export(args: argparse.Namespace) -> int:
    from . import store
    from .formats import RdfFormat

    data = store.dump(store.open_store(), RdfFormat.lookup(args.format))
    if args.output:
        with open(args.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from . import queries, store

    s = store.open_store()
    counts = next(iter(store.run_query(s, queries.COUNTS)))
    conflicts = next(iter(store.run_query(s, queries.CONFLICTS)))["conflicts"]
    print(f"triples (all graphs)  {len(s)}")
    for name in ("triples", "statements", "claims", "anchors", "facts"):
        label = "triples (data graph)" if name == "triples" else name
        print(f"{label:<21} {counts[name].value}")
    print(f"{'conflicts':<21} {conflicts.value}")
    print("resources per class:")
    for row in store.run_query(s, queries.RESOURCES_PER_CLASS):
        print(f"  {_cell(row['class']):<32} {row['resources'].value}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from . import generate

    if args.check:
        stale = generate.stale_files()
        for path in stale:
            print(f"stale: {path} (run 'mali-kg build')", file=sys.stderr)
        return EXIT_NONCONFORMING if stale else EXIT_OK
    for path in generate.write_outputs():
        print(f"wrote {path}")
    return EXIT_OK


def _backend(url, user, graphs, functions, timeout):
    from . import store
    from .remote import Backend

    try:
        return Backend.parse(url, graphs=graphs or list(store.bundled_graphs()), user=user,
                             functions=functions, timeout=max(timeout * 2, 30.0))
    except ValueError as e:
        raise MaliKGError(str(e)) from None


def _load(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pyoxigraph as ox

    from . import store

    for f in args.files:
        if not Path(f).is_file():
            raise MaliKGError(f"{f}: no such file; nothing was loaded.")
    if args.into:
        return _load_into(args)
    target = ox.Store(args.store)
    if args.files:
        for f in args.files:
            store.load_file(target, Path(f), graph=args.graph or store.ns.GRAPH_DATA)
    else:
        store.load_files(target, store.bundled_graphs())
    target.optimize()
    target.flush()
    print(f"loaded {len(target)} quads into {args.store}")
    return EXIT_OK


def _load_into(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import graph_store, store

    target = _backend(args.into, args.user, (), (), 30.0)
    files = {Path(f): args.graph or store.ns.GRAPH_DATA for f in args.files} if args.files \
        else {path: graph for graph, path in store.bundled_graphs().items()}
    try:
        report = graph_store.load(target, files, progress=lambda line: print(line))
    except graph_store.LoadError as e:
        raise MaliKGError(str(e)) from None
    print(f"loaded {report.triples} triples into {len(report.graphs)} graphs at {target.url} "
          f"in {report.seconds:.2f} s ({report.rate:,.0f} triples/s)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
