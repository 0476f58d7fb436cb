"""Gzip bombs built at test time, in milliseconds and a few hundred KB of memory.

A deflate stream cut with ``Z_FULL_FLUSH`` restarts with an empty history, so the
compressed form of one MiB of zeros can be repeated to describe any number of MiB; the gzip
header and trailer (CRC-32, length) are written around it by hand. Inflating the result
really produces all those bytes: nothing here is a stub of the decompressor."""

from __future__ import annotations

import struct
import zlib

MIB = 1 << 20
_ZEROS = bytes(MIB)


def _block(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
    assert first == again, "a full flush did not reset the deflate state"
    return first


def gzip_member(parts: list[tuple[bytes, int]]) -> bytes:
    """One gzip member whose content is each ``(data, repeat)`` part, ``data`` repeated
    ``repeat`` times, in order."""
    out = [b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"]  # magic, deflate, no flags, mtime 0, max compression, unknown OS
    crc, size = 0, 0
    for data, repeat in parts:
        blk = _block(data)
        out.append(blk * repeat)
        for _ in range(repeat):
            crc = zlib.crc32(data, crc)
        size += len(data) * repeat
    out.append(b"\x03\x00")  # an empty final fixed-Huffman block
    out.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(out)


def gzip_zeros(n_mib: int) -> bytes:
    """gzip of ``n_mib`` MiB of NUL bytes (about 1 KB compressed per MiB)."""
    return gzip_member([(_ZEROS, n_mib)])


def warc_record(url: str, http_headers: list[tuple[str, str]], payload_parts: list[tuple[bytes, int]],
                status: str = "200 OK") -> bytes:
    """One gzip-compressed WARC/1.0 ``response`` record (its own gzip member) whose HTTP payload
    is ``payload_parts`` (as for :func:`gzip_member`)."""
    n_payload = sum(len(d) * r for d, r in payload_parts)
    http = (f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in http_headers) + "\r\n").encode()
    block_len = len(http) + n_payload
    head = ("WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Record-ID: <urn:uuid:{zlib.crc32(url.encode()):08x}-0000-4000-8000-000000000000>\r\n"
            "WARC-Date: 2022-02-02T05:00:00Z\r\n"
            f"WARC-Target-URI: {url}\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {block_len}\r\n\r\n").encode()
    return gzip_member([(head + http, 1), *payload_parts, (b"\r\n\r\n", 1)])
