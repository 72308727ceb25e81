"""The gate every query passes before an engine sees it, on the endpoint and the command line:
:mod:`.lexer` tokenises SPARQL (escapes decoded, strings and IRIs kept whole), and
:mod:`.inspection` reads off the query form, SERVICE, FROM and the nesting, and enforces the
limits and the SERVICE allow-list; for an engine other than ours, it also finds the functions
a query calls in a namespace, and what it holds beyond SPARQL 1.1.
"""

from .inspection import (
    ENGINE_MAX_OPERATORS,
    Inspection,
    InspectionError,
    beyond_sparql_11,
    calls_written,
    inspect_query,
    may_call_by_name,
    services_as_graphs,
    without_dataset_clauses,
)

__all__ = ["ENGINE_MAX_OPERATORS", "Inspection", "InspectionError", "beyond_sparql_11",
           "calls_written", "inspect_query", "may_call_by_name",
           "services_as_graphs", "without_dataset_clauses"]
