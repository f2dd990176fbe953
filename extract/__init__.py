"""Documents → performance-target table records.

>>> from extract import parse_document
>>> doc = parse_document(open("disclosure.txt", encoding="utf-8").read(), "disclosure.txt")  # doctest: +SKIP
>>> [t.name for t in doc.tables]  # doctest: +SKIP
"""

from extract.errors import ExtractError
from extract.io import FORMATS, document_paths, extract_paths, read_document, write_documents
from extract.pipeline import parse_document, parse_source
from extract.records import Document, Funding, Indicator, Table, Target, Unparsed
from extract.values import parse_target

__all__ = [
    "FORMATS",
    "Document",
    "ExtractError",
    "Funding",
    "Indicator",
    "Table",
    "Target",
    "Unparsed",
    "document_paths",
    "extract_paths",
    "parse_document",
    "parse_source",
    "parse_target",
    "read_document",
    "write_documents",
]
