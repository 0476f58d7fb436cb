"""Article extraction: main text, metadata and page type from one HTML page.

The public API; see :mod:`mediamon.extract.core` for the steps. Modules: ``options``
(:class:`ExtractOptions`, :class:`Extraction`), ``rules`` (regex/label tables), ``lines``
(line rules), ``htmlprep`` (pruning, loose-text wrapping), ``metadata`` (meta, JSON-LD,
title, people), ``dates`` (page dates), ``pagetype``, ``wires``, ``ensemble`` (body candidates
chosen by agreement, related-block cut), ``siteboiler`` (site boilerplate learned per outlet,
applied at load), ``core`` (orchestration).
Generic date parsing lives in :mod:`mediamon.util.dates`.
"""

from mediamon.extract.core import decode_html, extract_article, extract_file, read_page_file
from mediamon.extract.lines import clean_lines
from mediamon.extract.options import DEFAULT_MAX_BYTES, EXTRACTOR_VERSION, ExtractOptions, Extraction
from mediamon.extract.pagetype import PAGE_TYPES
from mediamon.extract.wires import wire_of, wires_in
from mediamon.util.dates import EARLIEST_PLAUSIBLE_DATE, FUTURE_TOLERANCE, parse_date_text, plausible_date

__all__ = [
    "DEFAULT_MAX_BYTES", "EARLIEST_PLAUSIBLE_DATE", "EXTRACTOR_VERSION", "FUTURE_TOLERANCE", "PAGE_TYPES",
    "ExtractOptions", "Extraction", "clean_lines", "decode_html", "extract_article", "extract_file",
    "parse_date_text", "plausible_date", "read_page_file", "wire_of", "wires_in",
]
