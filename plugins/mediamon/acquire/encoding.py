"""Bytes to text: Content-Encoding (gzip/deflate) with a bounded output, and charset decoding.

- :class:`BodyDecoder`: the fetcher's streaming Content-Encoding decoder. gzip/deflate is
  decoded by us with bounded output (decompression-bomb guard); stacked (``gzip, gzip``) or
  unadvertised codings (br, zstd, compress) are refused (:class:`UnsupportedEncoding`).
- :func:`gunzip_capped`: the same cap for whole gzip/zlib bodies (``.gz`` sitemaps, local
  ``.gz`` pages); :class:`DecompressionBomb` when it is exceeded.
- :func:`decode_body`: HTTP header charset, then BOM, then ``<meta charset>`` / XML
  declaration, then detection with charset-normalizer. The first declared charset that
  decodes the bytes without error wins; U+FFFD characters in the result are counted
  (``replacement_chars``) as a quality figure. Also used by extraction for local files.
"""

from __future__ import annotations

import codecs
import re
import zlib
from typing import BinaryIO

__all__ = ["BodyDecoder", "ContentDecodingError", "DecompressionBomb", "UnsupportedEncoding", "decode_body",
           "gunzip_capped"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XMLDECL_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']""", re.I)
# WHATWG Encoding Standard: these labels mean windows-1252 in browsers.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                   "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252", "x-sjis": "shift_jis"}
_UTF8_MB_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_LATIN_SINGLE_BYTE = {"cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "cp1125", "cp437", "cp850", "cp852", "cp858",
                      "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14",
                      "iso8859-15", "iso8859-16", "latin_1", "mac-roman", "mac-latin2", "hp-roman8", "cp1140", "cp273"}
_BOMB_RATIO = 100  # decoded/compressed ratio above which exceeding the cap is called a bomb


class DecompressionBomb(ValueError):
    """Decoded size exceeded the cap at a suspicious compression ratio."""



class UnsupportedEncoding(ValueError):
    """A Content-Encoding we did not advertise, or stacked codings (permanent for that response)."""


class ContentDecodingError(ValueError):
    """A gzip/deflate body that does not decode."""


class BodyDecoder:
    """Streaming Content-Encoding decoder with an output cap (bytes).

    ``BodyDecoder(content_encoding, max_bytes)``: ``content_encoding`` is the response's
    ``Content-Encoding`` header (None = identity). RFC 9110 8.4: a list of codings in the
    order applied; ``identity`` entries are no-ops. One of gzip, x-gzip, deflate (zlib, or
    raw deflate as some servers send) or identity is accepted; anything else raises
    :class:`UnsupportedEncoding` naming the header value.

    :meth:`feed` each chunk read from the wire; ``out`` holds the decoded bytes so far,
    ``wire`` the encoded bytes fed. Once :attr:`over_cap` is true the caller stops reading;
    :attr:`looks_like_bomb` says whether the decoded/encoded ratio exceeds ``_BOMB_RATIO``.
    """

    def __init__(self, content_encoding: str | None, max_bytes: int):
        raw_enc = (content_encoding or "identity").strip()
        codings = [c.strip().lower() for c in raw_enc.split(",") if c.strip() and c.strip().lower() != "identity"]
        enc = codings[0] if len(codings) == 1 else ("identity" if not codings else raw_enc.lower())
        if enc in ("gzip", "x-gzip", "deflate"):
            self._dec = zlib.decompressobj(47 if enc != "deflate" else zlib.MAX_WBITS)
        elif enc == "identity":
            self._dec = None
        else:
            # stacked codings ('gzip, gzip') or ones we never advertised (br, zstd, compress):
            # the same response comes back on every retry, so this is a permanent outcome
            raise UnsupportedEncoding(f"unsupported Content-Encoding {raw_enc!r}")
        self.encoding = enc
        self.max_bytes = max_bytes
        self.out = bytearray()
        self.wire = 0
        self._raw_deflate_tried = False

    def feed(self, chunk: bytes) -> None:
        """Decode ``chunk`` (encoded bytes) into :attr:`out`, producing at most one byte over
        ``max_bytes``. Raises :class:`ContentDecodingError` on a corrupt body."""
        self.wire += len(chunk)
        if self._dec is None:
            self.out += chunk
            return
        data = chunk
        while data:
            try:
                piece = self._dec.decompress(data, self.max_bytes - len(self.out) + 1)
            except zlib.error as e:
                if self.encoding == "deflate" and not self._raw_deflate_tried and not self.out:
                    self._raw_deflate_tried = True
                    self._dec = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise ContentDecodingError(f"bad {self.encoding} body: {e}") from None
            self.out += piece
            if len(self.out) > self.max_bytes:
                break
            data = self._dec.unconsumed_tail
            if not data and self._dec.eof and self._dec.unused_data:
                data, self._dec = self._dec.unused_data, zlib.decompressobj(47)

    @property
    def over_cap(self) -> bool:
        """True once more than ``max_bytes`` decoded bytes were produced."""
        return len(self.out) > self.max_bytes

    @property
    def looks_like_bomb(self) -> bool:
        """True when the body is compressed and decoded/encoded size exceeds ``_BOMB_RATIO``."""
        return self._dec is not None and len(self.out) / max(1, self.wire) > _BOMB_RATIO


def gunzip_capped(data: bytes | BinaryIO, max_bytes: int, *, chunk_size: int = 1 << 16,
                  allow_truncated: bool = False) -> bytes:
    """Decompress gzip/zlib ``data`` (multi-member gzip allowed) producing at most ``max_bytes``.

    ``data``: the compressed bytes, or a binary file object read ``chunk_size`` bytes at a
    time (a local ``.gz`` file), so memory stays within ``max_bytes`` plus one chunk whatever
    the input and output sizes. Trailing NUL padding after the last member is ignored.
    Raises :class:`DecompressionBomb` when the output would exceed ``max_bytes`` and
    ``zlib.error`` on corrupt or non-gzip/zlib input, and on a stream cut before its end
    marker unless ``allow_truncated`` (then what was inflated is returned: a cut sitemap still
    lists the URLs that arrived). Used for ``.gz`` sitemaps and local ``.gz`` pages.
    """
    read = getattr(data, "read", None)
    buf, n_in = (b"", 0) if read else (data, len(data))
    out = bytearray()
    d = zlib.decompressobj(47)  # 32+15: auto-detect gzip or zlib header
    while True:
        if not buf:
            buf = read(chunk_size) if read else b""
            if not buf:
                break
            n_in += len(buf)
        if d.eof:  # the previous member ended: NUL padding, or the next member
            if not buf.strip(b"\x00"):
                buf = b""
                continue
            d = zlib.decompressobj(47)
        out += d.decompress(buf, max_bytes - len(out) + 1)
        if len(out) > max_bytes:
            raise DecompressionBomb(f"decompressed size exceeds {max_bytes} bytes (from {n_in} compressed)")
        buf = d.unconsumed_tail or (d.unused_data if d.eof else b"")
    if not d.eof and not allow_truncated:
        raise zlib.error(f"truncated gzip data: the stream ends before its end marker ({n_in} compressed bytes read)")
    return bytes(out)


def _norm_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return m.group(1) if m else None


#: Bodies shorter than this (bytes) with no declared charset are not given to detection.
_SHORT_BODY = 64


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str, str, int]:
    """Decode response bytes to text: HTTP header charset, then BOM, then ``<meta charset>`` /
    ``<?xml encoding?>`` (first 4 KB), then charset-normalizer detection.

    Returns ``(text, encoding, encoding_source, replacement_chars)``: the codec name (Python),
    where it came from ('header'|'bom'|'meta'|'detected'|'fallback') and the number of U+FFFD
    characters in ``text``. The first declared charset that decodes ``body`` strictly wins; if
    none does, detection is tried, and last the first declared charset (or UTF-8) with
    replacement characters. A body under 64 bytes with no declared charset is not detected:
    it is UTF-8 when valid, else windows-1252 (source 'fallback').
    """
    if not body:
        return "", "utf-8", "fallback", 0
    cands: list[tuple[str, str]] = []
    h = _norm_charset(_header_charset(content_type))
    if h:
        cands.append((h, "header"))
    bom_len = 0
    for bom, enc in _BOMS:
        if body.startswith(bom):
            cands.append((enc, "bom"))
            bom_len = len(bom)
            break
    head = body[:4096]
    m = _XMLDECL_RE.search(head) or _META_RE.search(head)
    if m:
        mc = _norm_charset(m.group(1).decode("ascii", "ignore"))
        if mc and not mc.startswith("utf-16") and not mc.startswith("utf-32"):
            cands.append((mc, "meta"))
    for enc, src in cands:
        data = body[bom_len:] if bom_len and (src == "bom" or enc.startswith("utf")) else body
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, enc, src, text.count("\ufffd")
    for enc, src in cands:
        # Declared UTF-8 that holds real multi-byte sequences is UTF-8 with a few bad bytes:
        # keep it and count the U+FFFD (quality figure) rather than guess another codec.
        if enc == "utf-8" and _UTF8_MB_RE.search(body):
            data = body[bom_len:] if bom_len else body
            text = data.decode("utf-8", errors="replace")
            return text, enc, src, text.count("\ufffd")
    if not cands and len(body) < _SHORT_BODY:
        # Too few bytes for detection (charset-normalizer names 'mac_iceland' or 'cp1006' for
        # a 10-byte Latin-1 fragment): valid UTF-8 stays UTF-8, anything else is windows-1252,
        # the WHATWG default for Latin-script locales (its 5 undefined bytes become U+FFFD).
        try:
            return body.decode("utf-8"), "utf-8", "fallback", 0
        except UnicodeDecodeError:
            text = body.decode("cp1252", errors="replace")
            return text, "cp1252", "fallback", text.count("\ufffd")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
    except Exception:  # detection must never sink a fetch
        best = None
    if best is not None and best.encoding:
        enc = _norm_charset(best.encoding) or "utf-8"
        if enc in _LATIN_SINGLE_BYTE and enc != "cp1252":
            # charset-normalizer often picks a sibling code page on short Latin-script text;
            # windows-1252 is the WHATWG default for Latin-script locales (en, id): prefer it
            # when it decodes cleanly.
            try:
                text = body.decode("cp1252")
                return text, "cp1252", "detected", text.count("\ufffd")
            except UnicodeDecodeError:
                pass
        text = body.decode(enc, errors="replace")
        return text, enc, "detected", text.count("\ufffd")
    enc = cands[0][0] if cands else "utf-8"
    text = body.decode(enc, errors="replace")
    return text, enc, "fallback", text.count("\ufffd")
