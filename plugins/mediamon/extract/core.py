"""Article extraction: main text, metadata and page type from one HTML page.

Pipeline (``extract_article``):

1. Decode bytes like the fetcher does (:func:`mediamon.acquire.encoding.decode_body`: BOM, then
   ``<meta charset>`` / ``<?xml encoding?>``, then charset-normalizer detection; a declared
   legacy charset loses to bytes that are valid UTF-8 with multi-byte sequences, see
   :func:`decode_html`), then parse once (``trafilatura.utils.load_html``: repair of faulty HTML).
2. Page type: bot walls (captcha / "checking your browser"), paywalls ("subscribe to read",
   ``isAccessibleForFree: false``), listing pages (home, section, tag, index pages: many
   headline links, no article markup) and empty pages are recognised and not treated as articles.
3. Body: trafilatura 2.3.1 (Barbaresi 2021, "Trafilatura: A Web Scraping Library and
   Command-Line Tool for Text Discovery and Extraction", ACL demo) in precision mode, after
   pruning per-source XPaths (``SourceRules.prune_xpaths``) and generic related-content
   widgets (class/id such as ``baca-juga``, ``related-post``, ``terpopuler``), and after wrapping
   bare text runs into ``<p>`` (lead paragraphs written as text directly in a ``<div>``, which
   trafilatura skips); falls back to the balanced (default) mode, with trafilatura's
   readability/jusText comparison, when the precision output is short (< 500 characters).
   Since 1.3 that fallback is an ensemble (``ensemble``): trafilatura precision and balanced
   (without ``fast``) and readability-lxml, chosen by agreement (shingle overlap, link texts,
   position of unsupported lines), also run when the fast pass ends in a headline-link list.
4. Line rules (ours, language-aware, Indonesian and English): related-link teasers
   ("Baca Juga:", "Simak juga", "Read also", "Related:"), pagers ("Halaman 1 2 3"), credit
   lines ("Editor:", "Penulis:", "Pewarta:", "Sumber:", "Reporting by"), copyright lines,
   widget labels ("Tags", "Terpopuler", "Load More", share/like counters), date-only lines,
   photo captions with photo credits, a repeated title. Credits are parsed into metadata
   (``editor``, ``authors``, ``credits``, ``syndication``), not dropped.
   ``SourceRules.extra_boilerplate_patterns`` are applied per line.
5. Metadata: title (site name removed), authors (people only), editor, publication and
   modification datetimes with UTC offset (JSON-LD ``datePublished`` > ``article:published_time``
   and similar meta > visible date near the headline, incl. Indonesian month names and WIB/WITA/WIT
   > htmldate), language (``mediamon.enrich.langid``), canonical URL, tags, categories, lead image,
   wire credit. ``methods`` records which method produced each field.

Never raises on bad HTML: such pages come back as ``page_type='empty'`` with the reason in
``methods['error']``; an exception inside extraction is also kept in ``Extraction.error``
(class and message) and ``methods['page_type'] = 'error:<Class>'``. Only wrong argument types
raise (``TypeError``/``ValueError``).

This module is the orchestration (:func:`extract_article`, one named step per stage above);
the steps live in ``htmlprep``, ``lines``, ``metadata``, ``dates``, ``pagetype`` and ``wires``.
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from mediamon.config import SourceRules
from mediamon.extract.ensemble import cut_link_tail, ensemble_text, page_link_texts, tail_is_links
from mediamon.extract.dates import REJECTED, choose_date, source_tz
from mediamon.extract.htmlprep import prune_widgets, prune_xpaths, wrap_loose_text
from mediamon.extract.lines import clean_lines, tokens
from mediamon.extract.metadata import choose_authors, choose_editor, choose_title, page_metadata
from mediamon.extract.options import DEFAULT_MAX_BYTES, ExtractOptions, Extraction
from mediamon.extract.pagetype import classify_page
from mediamon.extract.wires import choose_syndication, footer_credit
from mediamon.acquire.encoding import DecompressionBomb, decode_body, gunzip_capped
from mediamon.enrich.langid import detect_language

__all__ = ["decode_html", "extract_article", "extract_file", "read_page_file"]

_BINARY_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def extract_article(
    html: str | bytes,
    url: str | None = None,
    *,
    source_language: str | None = None,
    rules: SourceRules | None = None,
    fetched_at: datetime | None = None,
    options: ExtractOptions | None = None,
) -> Extraction:
    """Extract an article's main text and metadata from one HTML page.

    Args:
        html: the page (str, or bytes in any encoding: decoded by :func:`decode_html`, the codec
            and where it came from recorded in ``methods['encoding']``, e.g. ``'cp1251 (meta)'``).
        url: the page URL (used for relative links, canonical URL fallback, listing cues).
        source_language: the outlet's declared ISO 639-1 language ('id', 'en', ...): the prior
            for language detection and the default time zone (WIB, +07:00, for 'id') of dates
            given without one.
        rules: per-source rules (``SourceRules``; a dict is validated into one).
        fetched_at: when the page was fetched (aware, or naive = UTC); publication dates later
            than this (plus 15 minutes of clock skew) are rejected. Default: now (UTC).
        options: the three settings above as one :class:`ExtractOptions` (instead of them).

    Returns:
        :class:`Extraction`. Bad or empty HTML gives ``page_type='empty'`` with the reason in
        ``methods['error']``; this function does not raise on page content. An exception
        inside extraction gives ``page_type='empty'`` with ``error`` = ``'<Class>: <message>'``
        (also in ``methods['error']``) and ``methods['page_type'] = 'error:<Class>'``.

    Raises:
        TypeError: an argument has the wrong type, or ``options`` is given together with
        ``source_language``/``rules``/``fetched_at``. ValueError: ``source_language`` is not an
        ISO 639 code, or ``rules`` is a dict that does not validate.
    """
    if not isinstance(html, (str, bytes, bytearray)):
        raise TypeError(f"html must be str or bytes, got {type(html).__name__}")
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be str or None, got {type(url).__name__}")
    if options is None:
        options = ExtractOptions(source_language=source_language, rules=rules, fetched_at=fetched_at)
    elif not isinstance(options, ExtractOptions):
        raise TypeError(f"options must be ExtractOptions or None, got {type(options).__name__}")
    elif source_language is not None or rules is not None or fetched_at is not None:
        raise TypeError("pass either options or source_language/rules/fetched_at, not both")
    try:
        return _extract(bytes(html) if isinstance(html, bytearray) else html, url, options.resolved())
    except Exception as e:  # noqa: BLE001 - one broken page must not sink the batch
        return _failed(e)


def _failed(e: Exception) -> Extraction:
    """The result of a page whose extraction raised ``e``: empty, with the error recorded."""
    cls = type(e)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    ex = Extraction(page_type="empty", error=f"{name}: {e}"[:500])
    ex.methods["error"] = ex.error
    ex.methods["page_type"] = f"error:{name}"
    return ex


def read_page_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a saved page; a ``.gz`` file is inflated while streaming, under the same
    cap and bomb guard as the fetcher (:func:`mediamon.acquire.encoding.gunzip_capped`): at most
    ``max_bytes`` bytes are produced and memory stays within that.

    Raises FileNotFoundError/OSError when the file cannot be read,
    :class:`mediamon.acquire.encoding.DecompressionBomb` (a ValueError) naming the file when it inflates
    past ``max_bytes``, and ValueError naming the file when a ``.gz`` file is not gzip data."""
    p = Path(path)
    if p.suffix != ".gz":
        return p.read_bytes()
    with p.open("rb") as fh:
        try:
            return gunzip_capped(fh, max_bytes)
        except DecompressionBomb as e:
            raise DecompressionBomb(f"{p}: {e} (max_bytes)") from None
        except zlib.error as e:
            raise ValueError(f"{p}: not gzip data, or cut short ({e})") from None


def extract_file(path: str | Path, url: str | None = None, *, max_bytes: int | None = None, **kw) -> Extraction:
    """Extract from an HTML file on disk (``.gz`` is inflated under the ``max_bytes`` cap, see
    :func:`read_page_file`; default: ``options.max_bytes`` when ``options`` is given, else
    ``DEFAULT_MAX_BYTES``). The bytes are decoded by :func:`decode_html` (BOM, ``<meta charset>``,
    detection), as over HTTP. ``kw`` as for :func:`extract_article`. Raises
    FileNotFoundError/OSError when the file cannot be read, ValueError (DecompressionBomb for
    one over the cap) naming the file when a ``.gz`` file cannot be inflated."""
    if max_bytes is None:
        opts = kw.get("options")
        max_bytes = opts.max_bytes if isinstance(opts, ExtractOptions) else DEFAULT_MAX_BYTES
    return extract_article(read_page_file(path, max_bytes), url, **kw)


def decode_html(body: bytes) -> tuple[str, str]:
    """Decode an HTML document's bytes (no HTTP header known): ``(text, 'codec (source)')``.

    :func:`mediamon.acquire.encoding.decode_body` with no Content-Type (BOM, then ``<meta charset>`` /
    ``<?xml encoding?>`` in the first 4 KB, then charset-normalizer detection; WHATWG labels,
    e.g. iso-8859-1 -> cp1252), so a saved page decodes as it did over HTTP. One exception: a
    page whose *meta* charset is a legacy one while the bytes are valid UTF-8 containing
    multi-byte sequences is decoded as UTF-8 (source ``'utf-8-over-meta'``): such pages were
    served with an HTTP ``charset=utf-8`` header that a saved file no longer carries (seen in
    the id-anpandu corpus: kapanlagi.com declares iso-8859-1), and text in a legacy single-byte
    charset is practically never valid UTF-8. Source is one of 'bom', 'meta', 'detected',
    'fallback', 'utf-8-over-meta'. Never raises for bytes input.
    """
    text, enc, src, _ = decode_body(body, None)
    if src == "meta" and enc != "utf-8" and not body.isascii():
        try:
            text, enc, src = body.decode("utf-8"), "utf-8", "utf-8-over-meta"
        except UnicodeDecodeError:
            pass
    return text, f"{enc} ({src})"


def _extract(html: str | bytes, url: str | None, opts: ExtractOptions) -> Extraction:
    """The extraction steps in order; ``opts`` is resolved (rules and fetched_at set)."""
    ex = Extraction()
    html = _screen(html, ex)
    if html is None:
        return ex
    tree = _parse(html, ex)
    if tree is None:
        return ex
    meta = page_metadata(tree, url)
    base_url = url or meta.get("canonical")
    ex.title, ex.methods["title"] = choose_title(tree, meta)
    # The tree is changed in place by the body step (trafilatura works on its own copy);
    # everything read later (dates, bylines, page type) is unaffected by widget pruning and
    # <p> wrapping.
    kept, raw, editor_texts = _body(ex, tree, meta, base_url, opts.rules)
    ex.page_type, ex.methods["page_type"] = classify_page(tree, meta, url, ex.text, raw)
    _people(ex, tree, meta, editor_texts)
    ex.syndication, how = choose_syndication(ex.credits, kept, meta.get("ld_authors"), base_url)
    if how:
        ex.methods["syndication"] = how
    _dates(ex, tree, meta, opts)
    _language(ex, opts.source_language or meta.get("html_lang"))
    _links(ex, meta, url, base_url)
    return ex


def _screen(html: str | bytes, ex: Extraction) -> str | None:
    """Decode bytes; the text, or None when the document is not a page to extract (empty,
    binary, no markup: reason in ``methods['error']``; a feed: ``page_type='listing'``)."""
    if isinstance(html, bytes):
        html, ex.methods["encoding"] = decode_html(html)
    if not html.strip():
        ex.methods["error"] = "empty document"
        return None
    head = html[:1500].lower()
    sample = html[:4000]
    bad = len(_BINARY_RE.findall(sample))
    if bad > 0.05 * len(sample):
        ex.methods["error"] = f"binary content ({bad} control/undecodable characters in the first {len(sample)})"
        return None
    if not re.search(r"<[a-zA-Z!?]", sample):
        ex.methods["error"] = "not HTML (no markup)"
        return None
    if re.search(r"<(?:rss|rdf:rdf|feed)[\s>]", head) and "<html" not in head:
        ex.page_type = "listing"
        ex.methods["page_type"] = "feed-document"
        return None
    return html


def _parse(html: str, ex: Extraction):
    """The lxml tree of ``html`` (trafilatura's repairing loader, else lxml.html), or None
    with the reason in ``methods['error']``."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        try:
            from lxml import html as lhtml

            tree = lhtml.document_fromstring(html)
        except Exception as e:  # noqa: BLE001
            ex.methods["error"] = f"unparseable HTML: {e}"[:300]
            return None
    return tree


def _body(ex: Extraction, tree, meta: dict, base_url: str | None, rules: SourceRules) -> tuple[list[str], str, list[str]]:
    """Body text into ``ex.text``/``ex.credits``: prune, trafilatura precision mode (balanced
    mode as fallback), line rules. Returns ``(kept_lines, raw_text, editor_texts)``."""
    from trafilatura import bare_extraction

    rules_error = prune_xpaths(tree, rules.prune_xpaths)
    if rules_error:
        ex.methods["rules_error"] = rules_error
    editor_texts = prune_widgets(tree)
    wrap_loose_text(tree)
    traf_kw = dict(url=base_url, include_comments=False, include_tables=True, with_metadata=False)
    doc = bare_extraction(tree, favor_precision=True, fast=True, **traf_kw)
    raw = (doc.text if doc is not None else "") or ""
    method = "trafilatura-precision"
    # Escalation to the ensemble (mediamon.extract.ensemble): when the fast precision pass is
    # short (< 500 characters, e.g. empty or a teaser block) or ends in lines that are link
    # texts of the page (a headline list kept after the body), the candidates trafilatura
    # precision and balanced (both without fast) and readability-lxml are compared by
    # agreement; length does not decide. Only escalated pages pay for the extra candidates
    # (speed: benchmarks/extraction.py).
    link_texts = page_link_texts(tree)
    cut: list[str] = []  # lines cut as not body: a credit among them ('Sumber: Antara') is still metadata
    if len(raw) < 500 or tail_is_links(raw, link_texts):
        name, text, info = ensemble_text(tree, traf_kw, link_texts)
        ex.methods["ensemble"] = (f"{name} of {'/'.join(info['ran'])} agreement {info['support']} cut {info['cut']}"
                                  + (f" switched from {info['switched_from']}" if "switched_from" in info else ""))
        if name != "none":
            raw, method = text, f"ensemble:{name}"
            cut = info.get("cut_lines", [])
    else:
        lines = [ln for ln in raw.split("\n") if ln.strip()]
        kept_lines = cut_link_tail(lines, link_texts)
        if len(kept_lines) < len(lines):
            cut = lines[len(kept_lines):] if lines[:len(kept_lines)] == kept_lines else [ln for ln in lines if ln not in kept_lines]
            raw = "\n".join(kept_lines)
            ex.methods["link_tail"] = f"cut {len(lines) - len(kept_lines)} lines"
    kept, credits, dropped = clean_lines(raw, title=ex.title, extra_patterns=rules.extra_boilerplate_patterns)
    # a standfirst/summary repeated from the meta description, standing alone above the lead
    dt = tokens(meta.get("description") or "")
    if dt and len(dt) <= 30:
        for i, line in enumerate(kept[:2]):
            if tokens(line) == dt and i + 1 < len(kept) and len(tokens(kept[i + 1])) > len(dt):
                dropped.append(kept.pop(i))
                break
    ex.text = "\n".join(kept)
    ex.methods["text"] = f"{method}+line-rules (dropped {len(dropped)} lines)"
    if cut:  # credits and footers in the lines the ensemble or the link-tail rule cut
        _, cut_credits, cut_dropped = clean_lines("\n".join(cut), title=ex.title, extra_patterns=rules.extra_boilerplate_patterns)
        for k, v in cut_credits.items():
            credits.setdefault(k, v)
        dropped = dropped + cut_dropped
    footer = footer_credit(dropped)  # "Copyright © ANTARA 2022", the AP notice, Reuters' trust principles
    if footer:
        credits.setdefault("copyright", footer)
    ex.credits = credits
    return kept, raw, editor_texts


def _people(ex: Extraction, tree, meta: dict, editor_texts: list[str]) -> None:
    """``ex.editor`` and ``ex.authors`` (with their methods) from credits, JSON-LD, meta, bylines."""
    ex.editor = choose_editor(ex.credits, editor_texts)
    if ex.editor:
        ex.methods["editor"] = "credit-line"
    exclude = {meta.get("sitename") or "", ex.editor or "", meta.get("publisher") or ""}
    ex.authors, how = choose_authors(tree, meta, ex.credits, exclude)
    if how:
        ex.methods["authors"] = how


def _dates(ex: Extraction, tree, meta: dict, opts: ExtractOptions) -> None:
    """``ex.published_at``/``ex.modified_at``; a rejected (implausible) date, or a page that
    states only a modification time, is recorded in ``methods`` even when nothing replaced it."""
    lang_for_tz = opts.source_language or (meta.get("html_lang") or "")[:2] or None
    pub, pmethod = choose_date(tree, meta, "published", opts.fetched_at, source_tz(lang_for_tz))
    if pub or pmethod != "none":  # a rejected date, or why there is none (e.g. only a modification time)
        ex.published_at, ex.methods["published_at"] = pub, pmethod
    mod, mmethod = choose_date(tree, meta, "modified", opts.fetched_at, source_tz(lang_for_tz))
    if mod or mmethod.startswith(REJECTED):
        ex.modified_at, ex.methods["modified_at"] = mod, mmethod


def _language(ex: Extraction, prior_lang: str | None) -> None:
    """``ex.language`` detected from the body (else the title), ``prior_lang`` as the prior."""
    sample = ex.text or (ex.title or "")
    lang, conf = detect_language(sample, prior_lang)
    ex.language = None if lang == "und" else lang
    ex.methods["language"] = f"py3langid+id/ms-cues (conf {conf})" if sample else "prior"


def _links(ex: Extraction, meta: dict, url: str | None, base_url: str | None) -> None:
    """``ex.canonical_url``, ``ex.image``, ``ex.tags``, ``ex.categories`` from the metadata."""
    canon = meta.get("canonical") or meta.get("og_url")
    if canon:
        canon = urljoin(url or "", canon)
        ex.methods["canonical_url"] = "link-rel-canonical" if meta.get("canonical") else "og:url"
    elif url:
        canon, ex.methods["canonical_url"] = url, "request-url"
    ex.canonical_url = canon
    if meta.get("image"):
        ex.image = urljoin(base_url or "", meta["image"])
        ex.methods["image"] = meta.get("image_method", "og:image")
    ex.tags = meta.get("tags", [])
    if ex.tags:
        ex.methods["tags"] = meta.get("tags_method", "meta")
    ex.categories = meta.get("categories", [])
    if ex.categories:
        ex.methods["categories"] = meta.get("categories_method", "meta")
