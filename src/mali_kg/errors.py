"""Exception types. Every message says what went wrong and what to do next."""

from __future__ import annotations


class MaliKGError(Exception):
    """Base class for every error this package raises on purpose."""


class InputError(MaliKGError):
    """A file or a query could not be read or parsed.

    ``line`` and ``column`` are 1-based when the parser reported a position.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QuerySyntaxError(InputError):
    """A SPARQL query does not parse."""


class DataSyntaxError(InputError):
    """An RDF document does not parse."""


class UnsupportedFormatError(MaliKGError):
    """A format name, media type or file extension is not one this package handles."""
