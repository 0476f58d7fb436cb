"""Article extraction: main text, metadata and page type from one HTML page.

Pipeline (``extract_article``):

1. Decode bytes like the fetcher does (:func:`mediamon.fetch.decode_body`: BOM, then
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
   > htmldate), language (``mediamon.langid``), canonical URL, tags, categories, lead image,
   wire credit. ``methods`` records which method produced each field.

Never raises on bad HTML: such pages come back as ``page_type='empty'`` with the reason in
``methods['error']``. Only wrong argument types raise (``TypeError``/``ValueError``).
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from mediamon.config import FetchSettings, SourceRules
from mediamon.fetch import DecompressionBomb, decode_body, gunzip_capped
from mediamon.enrich.langid import detect_language

__all__ = ["EXTRACTOR_VERSION", "Extraction", "extract_article", "extract_file", "decode_html", "clean_lines", "parse_date_text", "wire_of", "wires_in"]

#: Bump when rules change (stored with each article so re-extraction can be targeted).
EXTRACTOR_VERSION = "mediamon-extract/1.1 (trafilatura 2.3.1)"

PAGE_TYPES = ("article", "listing", "paywall", "botwall", "empty")


@dataclass
class Extraction:
    """Result of :func:`extract_article`. All fields JSON-safe via :meth:`to_dict`.

    ``text``: body paragraphs separated by ``'\\n'``. ``published_at``/``modified_at``: ISO 8601
    with UTC offset or None. ``credits``: role -> value, e.g. ``{'editor': 'A', 'source': 'APNews',
    'photo': 'B'}``. ``methods``: field -> method name that produced it (and ``'error'`` on failure).
    """

    page_type: str = "empty"
    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    image: str | None = None
    syndication: str | None = None
    credits: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    extractor_version: str = EXTRACTOR_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of JSON-safe values (str, list, dict, None)."""
        return asdict(self)


# --------------------------------------------------------------------------------------------
# Line rules
# --------------------------------------------------------------------------------------------

_DASH = r"[:\-–—|»>•]"
# Related-link teasers: a label then a headline (or the bare label).
_TEASER_RE = re.compile(
    r"^\s*[\[(]?\s*(?:baca|simak|lihat|tonton|saksikan|cek|klik)\s+(?:juga|pula|selengkapnya|berita|artikel|video|di\s?sini)\b"
    r"|^\s*[\[(]?\s*(?:baca|simak|lihat)\s*" + _DASH +
    r"|^\s*(?:artikel|berita|topik|video)\s+(?:terkait|lainnya|pilihan|menarik|rekomendasi)\s*(?:" + _DASH + r"|$)"
    r"|^\s*(?:pilihan\s+(?:editor|redaksi)|rekomendasi(?:\s+editor)?|artikel\s+terkait|berita\s+terkait|baca\s+lainnya)\s*:\s*\S"
    r"|^\s*(?:read|see|also\s+read|watch|listen)\s+(?:also|more|next|this)?\s*" + _DASH +
    r"|^\s*[\[(]?\s*(?:read\s+(?:also|more)|also\s+read|see\s+also|you\s+may\s+also\s+like|don'?t\s+miss|most\s+read(?:\s+in\s+[\w ]{1,30})?|more\s+stories|related(?:\s+(?:articles?|stories|content|coverage|news|posts?))?|recommended(?:\s+for\s+you)?|more\s+(?:on|from)\s+[\w ]{1,30})\s*(?:" + _DASH + r"|$)",
    re.I,
)

_CREDIT_LABELS = {
    "editor": "editor", "penyunting": "editor", "redaktur": "editor", "editing by": "editor", "edited by": "editor",
    "penulis": "reporter", "pewarta": "reporter", "reporter": "reporter", "wartawan": "reporter",
    "kontributor": "reporter", "oleh": "reporter", "by": "reporter", "written by": "reporter",
    "reporting by": "reporter", "laporan": "reporter", "laporan wartawan": "reporter", "penulis artikel": "reporter",
    "sumber": "source", "source": "source", "sumber berita": "source",
    "foto": "photo", "fotografer": "photo", "photo": "photo", "photographer": "photo", "pewarta foto": "photo",
    "videografer": "video", "video": "video", "penerjemah": "translator", "alih bahasa": "translator",
    "translator": "translator", "translated by": "translator", "kameramen": "video",
}
_CREDIT_RE = re.compile(
    r"^\s*[\[(]?\s*(" + "|".join(sorted((re.escape(k) for k in _CREDIT_LABELS), key=len, reverse=True)) + r")\s*[:|/]\s*(.*?)\s*[\])]?\s*$",
    re.I,
)
# Credit labels inside a line (for lines with several credits).
_CREDIT_INLINE_RE = re.compile(
    r"(?:^|(?<=[\s|,;(\[]))(" + "|".join(sorted((re.escape(k) for k in _CREDIT_LABELS if k not in ("by", "oleh", "video", "foto", "photo", "source")),
                                            key=len, reverse=True)) + r"|oleh|foto|photo|video|source)\s*[:|/]\s*",
    re.I,
)
# "Laporan Wartawan Tribunnews.com, Nama" (Tribun-style reporter credit)
_LAPORAN_RE = re.compile(r"^\s*laporan\s+(?:wartawan|reporter|koresponden|kontributor|jurnalis)\s+[\w.\-]+(?:\s+[\w.\-]+)?\s*,\s*([^,]{3,60}?)\s*$", re.I)
# Tag lists in the body: "Tag: a, b, c" / "TAGS: x"
_TAGLINE_RE = re.compile(r"^\s*(?:tags?|topik|topics?|kata\s+kunci|keywords?)\s*:\s*\S", re.I)
# Label alone on its line (the value is on the next line), e.g. "Oleh :" / "Editor".
_CREDIT_LABEL_ONLY_RE = re.compile(
    r"^\s*(" + "|".join(sorted((re.escape(k) for k in _CREDIT_LABELS), key=len, reverse=True)) + r")\s*:?\s*$", re.I
)
# Reuters/AP style trailing credits: "(Reporting by X; Editing by Y)".
_WIRE_CREDIT_RE = re.compile(r"^\s*\(?\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.*$", re.I)

# Promotion / newsletter / social / app lines (Indonesian and English).
_PROMO_RE = re.compile(
    r"^\s*(?:follow|ikuti|gabung(?:lah)?|join|subscribe|sign\s+up|langganan|berlangganan|download|unduh|dapatkan|simak\s+(?:breaking|berita|update|informasi|video)|"
    r"get\s+the\s+(?:latest|day'?s|best)|like\s+this\s+(?:story|article)|if\s+you\s+(?:enjoyed|liked)\s+this|have\s+a\s+(?:news\s+)?tip|reach\s+the\s+reporters?|"
    r"email\s+\S+(?:\s+\S+)?\s+at\s|contact\s+(?:the\s+)?(?:reporter|writer|author)|click\s+(?:here|di\s*sini)|klik\s+(?:di\s*sini|link)|tempo\s+de\s+leitura|"
    r"filed\s+under|order\s+reprints|print\s+(?:article|this)|this\s+copy\s+is\s+for\s+your\s+personal|updated\s+(?:at|on)\s+\d|listen\s+to\s|"
    r"\[?gambas\s*:|(?:artikel|konten|berita)\s+ini\s+(?:telah|sudah)\s+(?:tayang|terbit|dimuat)|"
    r"saksikan\s+(?:video|juga|live)|tonton\s+(?:video|juga)|"
    r"baca\s+berita\s+(?:lainnya|menarik|terbaru)|cek\s+berita|update\s+berita|informasi\s+lebih\s+lanjut\s+klik)\b",
    re.I,
)
_PROMO_ANY_RE = re.compile(
    r"\b(?:(?:follow|ikuti|join|gabung|subscribe|like|share|bagikan|download|unduh|kunjungi|pantau|simak)\b.{0,60}\b(?:on|di|via|lewat)\s+(?:twitter|facebook|instagram|google\s+news|whatsapp(?:\s+channel)?|telegram|youtube|tiktok|linkedin)|"
    r"(?:newsletter|buletin)s?\b.{0,40}\b(?:inbox|subscrib|sign)|delivered\s+to\s+your\s+inbox|contributed\s+(?:to\s+this\s+report|reporting)|"
    r"turut\s+berkontribusi|telah\s+tayang\s+di)\b"
    r"|\[(?:insight|video|news|reaction|warning|pics|poll|latest|update|live)\]\s*\|?\s*$",
    re.I,
)
_CONTRIB_RE = re.compile(r"^(.{3,200}?)\s+(?:contributed\s+(?:to\s+this\s+report|reporting)|turut\s+berkontribusi)", re.I)
_INITIALS_RE = re.compile(r"\(?\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})+\s*\)?")  # editorial initials "(kpl/pur/tch)"
_BULLET_RE = re.compile(r"^\s*[-–•*·►▶»]\s+\S")

_COPYRIGHT_RE = re.compile(
    r"^\s*(?:©|\(c\)|copyright\b|hak\s+cipta\b)|all\s+rights\s+reserved|hak\s+cipta\s+dilindungi|dilarang\s+(?:mengutip|keras\s+mengambil)",
    re.I,
)
_PAGER_RE = re.compile(
    r"^\s*(?:halaman|page|hal\.?)\s*:?\s*(?:\d+\s*(?:dari|of|/)\s*\d+)?[\s\d»«<>|…\.\-]*(?:selanjutnya|berikutnya|next|sebelumnya|previous|all|semua)?\s*$"
    r"|^\s*(?:halaman|page)\s+(?:selanjutnya|berikutnya|sebelumnya|next|previous)\b.{0,60}$"
    r"|^\s*(?:\d+\s*){2,}(?:next|selanjutnya|berikutnya|»|>)?\s*$"
    r"|^\s*(?:selanjutnya|berikutnya|sebelumnya|next|previous|prev|tampilkan semua|show all|lihat semua)\s*[»>]*\s*$",
    re.I,
)
_WIDGET_LABELS = {
    "tags", "tag", "topik", "topic", "topics", "artikel pilihan", "terkait", "berita terkait", "terkini", "berita terkini",
    "terpopuler", "populer", "berita populer", "paling populer", "kabar daerah", "rekomendasi", "pilihan redaksi",
    "pilihan editor", "editor's picks", "editors' picks", "share", "bagikan", "share this", "share this article",
    "komentar", "comments", "comment", "tulis komentar", "like", "dislike", "rate artikel ini", "berita terbaru",
    "terbaru", "index", "indeks", "indeks berita", "mustread", "must read", "close", "tutup", "load more",
    "muat lebih banyak", "lihat lainnya", "selengkapnya", "more", "advertisement", "iklan", "sponsored",
    "konten bersponsor", "trending", "most popular", "most read", "latest news", "latest", "related", "newsletter",
    "subscribe", "follow us", "ikuti kami", "print", "cetak", "email", "whatsapp", "facebook", "twitter", "telegram",
    "line", "copy link", "salin link", "simak lifestyle populer lainnya", "video pilihan", "foto pilihan",
    "baca juga", "lihat juga", "simak juga", "read also", "read more", "scroll to continue with content",
    "scroll untuk melanjutkan", "lanjutkan membaca", "continue reading", "ads", "ad", "loading", "loading...",
    "top", "back to top", "kembali ke atas", "home", "beranda", "news", "berita", "foto", "video", "photo",
    "pilihan untukmu", "rekomendasi untuk anda", "rekomendasi untukmu", "bagikan artikel ini", "bagikan berita ini",
    "berita lainnya", "artikel lainnya", "baca selanjutnya", "topik pilihan", "video terkait", "foto terkait",
    "berita rekomendasi", "terpopuler hari ini", "paling banyak dibaca", "most viewed", "sponsored content",
    "konten promosi", "advertorial", "tulis komentar anda", "komentar anda", "lihat komentar", "berita utama",
    "headline", "populer", "viral", "hot news", "breaking news", "update terkini", "ikuti kami",
    "lihat foto", "tweet", "share on facebook", "share on twitter", "bagikan ke facebook", "bagikan ke twitter",
}
_COUNTER_RE = re.compile(
    r"^\s*[\-–•]?\s*(?:(?:like|dislike|share|shares|suka|komentar|comments?|views?|dilihat|credits|bagikan|tweet|pin)\s*[:(]?\s*[\d.,]+[kKmM]?\s*\)?"
    r"|[\d.,]+[kKmM]?\s*(?:likes?|shares?|comments?|views?|komentar|kali dilihat|dibaca|pembaca|suka))\s*$",
    re.I,
)
_NUMBER_ONLY_RE = re.compile(r"^[\s\d.,:#\-–()]*$")
_EMAIL_LINE_RE = re.compile(r"^.{0,60}(?:\[at\]|\(at\)|@)\S+\.\w{2,}.{0,30}$", re.I)
_AD_LINE_RE = re.compile(
    r"^\s*(?:informasi\s+pemasangan\s+iklan|hubungi\s*:|redaksi\s*:|advertisement|iklan|sponsored|scroll\s+to\s+(?:continue|resume)|"
    r"scroll\s+(?:ke\s+bawah\s+)?untuk\s+(?:melanjutkan|lanjut|membaca)|(?:judul|link|url)\s+artikel\s*:)",
    re.I,
)
# Photo credit at the end of a caption line: "(ANTARA FOTO/Name)", "(REUTERS/Name)", "/Pexels", "Foto: X".
_PHOTO_CREDIT_RE = re.compile(
    r"(?:\((?:antara\s*foto|foto|photo|reuters|ap\s*photo|afp|epa|getty\s*images|ist|istimewa|dok\.?|dokumentasi)\s*[/:]?[^()]{0,80}\)\s*\.?\s*$"
    r"|\((?-i:\s*[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3})\s*/\s*[A-Za-z][\w.\-]*(?:\s+[A-Za-z][\w.\-]*){0,3}\s*\)\s*\.?\s*$"
    r"|\s/\s?(?:pexels|unsplash|pixabay|freepik|shutterstock|istockphoto|getty\s*images|antara|reuters)\s*$"
    r"|\b(?:foto|photo)\s*:\s*[^.]{2,60}$)",
    re.I,
)


def _norm_label(line: str) -> str:
    s = re.sub(r"[|•·\u00a0]+", " ", line)
    s = re.sub(r"\s+", " ", s).strip(" -–—:>»|\t").lower()
    return s


def _tokens(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    # Indonesian full and common abbreviations (incl. old spellings Peb/Pebruari, Mrt, Agu, Nop/Nopember)
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8,
    "agus": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nopember": 11,
    "nov": 11, "nop": 11, "desember": 12, "des": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8,
    "october": 10, "oct": 10, "december": 12, "dec": 12,
    # Malay
    "mac": 3, "julai": 7, "ogos": 8, "disember": 12,
}
_TZ = {
    "wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0, "myt": 8, "sgt": 8,
    "est": -5, "edt": -4, "et": -5, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "bst": 1, "cet": 1, "cest": 2, "ist": 5.5, "jst": 9, "aest": 10, "aedt": 11,
}
_WEEKDAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = r"[\s,|\-]{0,4}(?:(?:pukul|jam|at)\s{1,3})?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>wib|wita|wit|utc|gmt|myt|sgt|e[sd]t|et|[cmp][sd]t|bst|cest|cet|ist|jst|aest|aedt)?(?:\s*(?P<off>[+\-−]\s?\d{1,2}(?::?\d{2})?))?"
_DATE_PATTERNS = [
    # 2 Februari 2022, 12:15 WIB / Selasa 16 Jun 2015, 14:05 WIB / 19 Juni 2015 12:58
    re.compile(r"(?:" + _WEEKDAY + r"\.?,?\s*)?\b(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH_ALT + r")\.?,?\s+(?P<y>\d{4})(?:" + _TIME + r")?", re.I),
    # June 5, 2015 10:00 AM
    re.compile(r"(?:" + _WEEKDAY + r"\.?,?\s*)?\b(?P<mon>" + _MONTH_ALT + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?:" + _TIME + r")?", re.I),
    # Kamis, 05/11/2015 10:08 WIB / Rabu (4/11/2015) (day first: Indonesian convention)
    re.compile(r"(?:" + _WEEKDAY + r"\.?,?\s*\(?\s*)?\b(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4})\)?(?:" + _TIME + r")?", re.I),
    # 2015-11-05 10:08
    re.compile(r"\b(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})(?:T|\s|,)*(?:" + _TIME + r")?", re.I),
]


def _mk_dt(y, mo, d, H=None, M=None, S=None, ampm=None, tz=None, off=None, default_tz=None):
    y, mo, d = int(y), int(mo), int(d)
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None, False
    has_time = H is not None
    h, mi, s = (int(H), int(M), int(S or 0)) if has_time else (0, 0, 0)
    if ampm:
        a = ampm.lower().replace(".", "")
        if a == "pm" and h < 12:
            h += 12
        elif a == "am" and h == 12:
            h = 0
    if h > 23 or mi > 59 or s > 59:
        return None, False
    tzinfo = None
    if off:
        o = off.replace("−", "-").replace(" ", "")
        sign = -1 if o[0] == "-" else 1
        o = o[1:].replace(":", "")
        hh, mm = (int(o[:-2] or 0), int(o[-2:])) if len(o) > 2 else (int(o), 0)
        tzinfo = timezone(sign * timedelta(hours=hh, minutes=mm))
    elif tz:
        tzinfo = timezone(timedelta(hours=_TZ[tz.lower()]))
    elif default_tz is not None:
        tzinfo = default_tz
    try:
        dt = datetime(y, mo, d, h, mi, s, tzinfo=tzinfo)
    except ValueError:
        return None, False
    return dt, has_time


def parse_date_text(text: str, default_tz: timezone | None = None) -> tuple[datetime, bool] | None:
    """Parse the first date (with optional time and zone) in a visible text snippet.

    Understands Indonesian, Malay and English month names and abbreviations (``Januari``..
    ``Desember``, ``Peb``, ``Mrt``, ``Agu``, ``Nop``, ``Des``), day-first numeric dates
    (``05/11/2015``), ISO dates, and zones ``WIB`` (+07:00), ``WITA`` (+08:00), ``WIT`` (+09:00),
    ``UTC``/``GMT`` and common US/EU abbreviations, or numeric offsets.

    Returns ``(datetime, has_time)`` or None. The datetime is aware when a zone is given or
    ``default_tz`` is set, else naive.
    """
    best = None
    for i, pat in enumerate(_DATE_PATTERNS):
        m = pat.search(text)
        if not m:
            continue
        g = m.groupdict()
        mo = _MONTHS.get(g["mon"].lower().rstrip(".")) if g.get("mon") else g.get("m")
        if mo is None:
            continue
        dt, has_time = _mk_dt(g["y"], mo, g["d"], g.get("H"), g.get("M"), g.get("S"), g.get("ampm"), g.get("tz"), g.get("off"), default_tz)
        if dt is not None and (best is None or m.start() < best[2]):
            best = (dt, has_time, m.start())
    return (best[0], best[1]) if best else None


#: Publication/modification dates before this are placeholders, not dates (e.g. Go's zero time
#: ``0001-01-01T00:00:00Z`` in JSON-LD): online news predates nothing earlier.
EARLIEST_PLAUSIBLE_DATE = datetime(1990, 1, 1, tzinfo=timezone.utc)
#: Dates later than the fetch time by more than this are implausible (clock skew and zone
#: mistakes stay well within a day).
FUTURE_TOLERANCE = timedelta(days=1)


def plausible_date(value: datetime | str | None, fetched_at: datetime) -> bool:
    """True when ``value`` lies in ``[EARLIEST_PLAUSIBLE_DATE, fetched_at + FUTURE_TOLERANCE]``.

    ``value``: a datetime or an ISO 8601 string (naive = UTC); ``fetched_at``: the fetch time
    (aware, or naive = UTC). None, an unparsable string or a date whose arithmetic would
    overflow (years 1 or 9999 with an offset) gives False. Never raises."""
    if value is None:
        return False
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return False
    if not isinstance(value, datetime):
        return False
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if value.year < EARLIEST_PLAUSIBLE_DATE.year or value.year > 9000:
        return False  # decided on the wall-clock year: no offset arithmetic near the datetime range ends
    try:
        return EARLIEST_PLAUSIBLE_DATE <= value <= fetched_at + FUTURE_TOLERANCE
    except (OverflowError, ValueError):
        return False


def _parse_iso(value: str) -> datetime | None:
    v = value.strip()
    if not v:
        return None
    v = re.sub(r"\s*([+-]\d{2})(\d{2})$", r"\1:\2", v.replace("Z", "+00:00").replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", v) else v.replace("Z", "+00:00"))
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        pass
    r = parse_date_text(value)
    return r[0] if r else None


# --------------------------------------------------------------------------------------------
# Wire services
# --------------------------------------------------------------------------------------------

_WIRES = [
    (re.compile(r"\b(?:associated\s+press|apnews(?:\.com)?|ap)\b"), "AP"),
    (re.compile(r"\breuters\b", re.I), "Reuters"),
    (re.compile(r"\b(?:afp|agence\s+france[\s-]presse)\b", re.I), "AFP"),
    (re.compile(r"\b(?:antara(?:news)?|antara\s+news)\b", re.I), "ANTARA"),
    (re.compile(r"\bxinhua\b", re.I), "Xinhua"),
    (re.compile(r"\bbernama\b", re.I), "Bernama"),
    (re.compile(r"\bbloomberg\b", re.I), "Bloomberg"),
    (re.compile(r"\bdpa\b", re.I), "dpa"),
    (re.compile(r"\bkyodo\b", re.I), "Kyodo"),
    (re.compile(r"\byonhap\b", re.I), "Yonhap"),
    (re.compile(r"\bupi\b"), "UPI"),
    (re.compile(r"\befe\b"), "EFE"),
    (re.compile(r"\banadolu\b", re.I), "Anadolu"),
    (re.compile(r"\b(?:pr\s?newswire|prnewswire)\b", re.I), "PR Newswire"),
    (re.compile(r"\b(?:kantor\s+berita\s+politik\s+)?rmol\b", re.I), "RMOL"),
]
# Dateline credit at the start of the lead: "JAKARTA (Reuters) -", "Mataram (ANTARA News) -", "(AP) —".
_DATELINE_RE = re.compile(r"^[^\n()]{0,80}\(\s*([A-Za-z][\w./ ]{1,40}?)\s*\)\s*[-–—]")


def wires_in(text: str | None) -> list[str]:
    """All normalised wire-service names in a credit string, in order of appearance
    ('Antara/PRNewswire' -> ['ANTARA', 'PR Newswire'])."""
    if not text:
        return []
    t = text.strip()
    found = []
    for rx, name in _WIRES:
        m = (re.search(r"\b(?:associated\s+press|apnews(?:\.com)?)\b", t, re.I) or re.search(r"\bAP\b", t)) if name == "AP" else rx.search(t)
        if m:
            found.append((m.start(), name))
    return [n for _, n in sorted(found)]


def wire_of(text: str | None) -> str | None:
    """First normalised wire-service name found in a credit string ('APNews' -> 'AP'), or None."""
    w = wires_in(text)
    return w[0] if w else None


# --------------------------------------------------------------------------------------------
# Page-type cues
# --------------------------------------------------------------------------------------------

_BOTWALL_RE = re.compile(
    r"checking (?:if the site connection is secure|your browser)|just a moment\.\.\.|attention required! \| cloudflare"
    r"|verify(?:ing)? you are (?:a )?human|are you a robot|please enable (?:javascript and )?cookies|captcha"
    r"|ddos protection by|access denied|pardon our interruption|request unsuccessful\. incapsula"
    r"|unusual traffic from your (?:computer )?network|press (?:&|and) hold|bot verification|memeriksa browser anda"
    r"|verifikasi bahwa anda (?:adalah )?manusia",
)  # lowercase patterns, matched against lowercased text (much faster than re.I on long pages)
_PAYWALL_RE = re.compile(
    r"subscribe (?:now )?to (?:continue reading|read|unlock|keep reading)|subscribers? only|for subscribers"
    r"|to continue reading,? (?:please )?(?:subscribe|log in|sign in)|already a subscriber|this (?:article|content) is for (?:paid )?(?:subscribers|members)"
    r"|berlangganan untuk (?:membaca|melanjutkan)|khusus (?:pelanggan|member|anggota)|konten (?:ini )?(?:khusus|eksklusif|premium)"
    r"|silakan berlangganan|baca selengkapnya dengan berlangganan|artikel ini khusus untuk pelanggan|masuk untuk membaca",
)  # lowercase, see _BOTWALL_RE
_LISTING_URL_RE = re.compile(
    r"/(?:tag|tags|topic|topik|category|kategori|kanal|rubrik|indeks|index|arsip|archive|search|cari|section|author|penulis|page/\d+)(?:/|$|\?)"
    r"|^/?$|^/(?:index|home|beranda|news|berita|terkini|terpopuler|populer)(?:\.\w+)?/?$",
    re.I,
)
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
                  "techarticle", "scholarlyarticle", "report", "socialmediaposting", "posting", "webpage_article"}
_LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}

# Titles of index/listing pages (Indonesian and English), e.g. "Indeks Berita", "Berita Terkini
# Hari Ini", "Latest News", "Tag: banjir", "Arsip": such pages often carry og:type=article.
_LISTING_TITLE_RE = re.compile(
    r"^\s*(?:indeks(?:\s+berita)?|index|arsip(?:\s+berita)?|archives?|berita\s+(?:terkini|terbaru|hari\s+ini)|"
    r"terpopuler|terkini|beranda|home(?:page)?|latest\s+news|top\s+stories|most\s+popular|"
    r"tag|tags|topik|topic|kategori|category|kanal|rubrik|section)\s*(?:[-|:\u2013\u2014\u00b7\u00bb]|$)",
    re.I,
)

# Generic related-content / share widgets pruned before extraction (class/id tokens).
_PRUNE_TOKENS = (
    "baca-juga", "bacajuga", "baca_juga", "read-also", "readalso", "related-post", "related-article", "related-news",
    "relatedpost", "related_posts", "artikel-terkait", "berita-terkait", "beritaterkait", "terpopuler",
    "most-popular", "share-button", "sharebutton", "social-share", "share-bar", "sharethis", "newsletter-signup",
)
_PRUNE_RE = re.compile("|".join(re.escape(t) for t in _PRUNE_TOKENS))
_PRUNE_TAGS = {"div", "section", "aside", "ul", "p", "span", "table"}
_CLASS_OR_ID = etree.XPath("//*[@class or @id]")


def _prune_widgets(root) -> list[str]:
    """Remove related-content / share widgets recognised by class or id tokens (< 3000 chars of
    text). Returns the texts of short elements whose class/id names an editor (credit candidates)."""
    hits, editors = [], []
    for el in _CLASS_OR_ID(root):
        key = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
        if el.tag in _PRUNE_TAGS and _PRUNE_RE.search(key):
            hits.append(el)
        elif "editor" in key and el.tag not in ("meta", "script", "style", "body", "html") and len(editors) < 3:
            t = _text(el)
            if 3 < len(t) < 100:
                editors.append(t)
    for el in hits:
        if el.getparent() is not None and len(el.text_content()) < 3000:
            _drop(el)
    return editors


def _drop(el) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _text(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _meta_index(tree) -> dict[str, list[str]]:
    """All <meta> contents keyed by lower-cased property/name/itemprop (one pass over the tree)."""
    idx: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            k = el.get(attr)
            if k:
                idx.setdefault(k.strip().lower(), []).append(content)
    return idx


def _meta(idx, *names: str) -> str | None:
    for n in names:
        v = idx.get(n.lower())
        if v:
            return v[0]
    return None


def _meta_all(idx, *names: str) -> list[str]:
    out = []
    for n in dict.fromkeys(x.lower() for x in names):
        out.extend(idx.get(n, ()))
    return out


def _iter_jsonld(tree):
    for el in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (el.text or "").strip()
        if not raw:
            continue
        raw = re.sub(r"^\s*<!--|-->\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                yield obj
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                if isinstance(obj.get("mainEntity"), (dict, list)):
                    stack.append(obj["mainEntity"])


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    ts = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in ts if x}


def _names(v) -> list[tuple[str, str]]:
    """JSON-LD person/org value -> [(name, type)]."""
    out = []
    for x in v if isinstance(v, list) else [v]:
        if isinstance(x, str):
            out.append((x, "unknown"))
        elif isinstance(x, dict):
            n = x.get("name")
            if isinstance(n, str):
                out.append((n, "person" if "person" in _types(x) else ("organization" if _types(x) & {"organization", "newsmediaorganization"} else "unknown")))
    return out


_NOT_PERSON_RE = re.compile(
    r"\b(?:redaksi|tim|team|staff|desk|admin|administrator|editor|editorial|newsroom|contributor|kontributor|"
    r"reporter|wartawan|pewarta|penulis|humas|rilis|press release|news|berita|media|online|com|co\.id|"
    r"agency|wire|correspondent|koresponden|foto|photo|video|tv)\b|https?://|@|\d",
    re.I,
)


def _split_people(s: str) -> list[str]:
    s = re.sub(r"^\s*(?:by|oleh|penulis|pewarta|reporter|wartawan|kontributor(?:\s+[A-Z][\w]+)?)\s*[:\-]?\s*", "", s, flags=re.I)
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bdan\b|/|\|)\s*", s)
    return [p.strip(" .-–") for p in parts if p and p.strip(" .-–")]


_PLATFORMS = {"facebook", "twitter", "instagram", "google", "youtube", "whatsapp", "tiktok", "linkedin", "telegram",
              "line", "pinterest", "reddit", "email", "share", "bagikan", "admin", "anonymous", "guest"}


def _clean_people(cands: list[str], exclude: set[str]) -> list[str]:
    out, seen = [], set()
    ex = {e.lower() for e in exclude if e}
    for c in cands:
        c = re.sub(r"\s+", " ", c).strip()
        c = re.split(r"\s+[-–—|]\s+", c)[0].strip()  # "Name - detikinet" -> "Name"
        if c.lower() in _PLATFORMS or (c.islower() and " " not in c):  # platform names, initials like "bgs"
            continue
        if not c or len(c) < 3 or len(c) > 60 or len(c.split()) > 5:
            continue
        if _NOT_PERSON_RE.search(c) or c.lower() in ex or not re.search(r"[A-Za-zÀ-ÿ]", c):
            continue
        if wire_of(c):
            continue
        k = c.lower()
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


# --------------------------------------------------------------------------------------------
# Line cleaning
# --------------------------------------------------------------------------------------------


def clean_lines(text: str, *, title: str | None = None, extra_patterns: list[str] | None = None) -> tuple[list[str], dict[str, str], list[str]]:
    """Apply the boilerplate line rules to extracted text.

    Args:
        text: extracted text, one paragraph per line.
        title: the article title; a line repeating it (optionally with a photo credit) is dropped.
        extra_patterns: per-source regexes (``SourceRules.extra_boilerplate_patterns``); a line
            matching any (``re.search``) is dropped.

    Returns:
        ``(kept_lines, credits, dropped_lines)``; ``credits`` maps role ('editor', 'reporter',
        'source', 'photo', 'video', 'translator') to the credited value(s), '; '-joined.
    """
    extra = [re.compile(p) for p in (extra_patterns or [])]
    title_toks = _tokens(title) if title else []
    lines = [ln.strip() for ln in text.split("\n")]
    kept: list[str] = []
    dropped: list[str] = []
    credits: dict[str, list[str]] = {}
    pending_label: str | None = None
    after_label = False
    n = len(lines)

    def credit(role, value):
        value = value.strip(" |:;-–—")
        if value and len(value) <= 120:
            credits.setdefault(role, [])
            if value not in credits[role]:
                credits[role].append(value)

    for i, line in enumerate(lines):
        if not line:
            continue
        norm = _norm_label(line)
        toks = _tokens(line)
        if pending_label:
            role = pending_label
            pending_label = None
            if len(toks) <= 6 and not re.search(r"[.!?]\s*$", line):
                credit(role, line)
                dropped.append(line)
                continue
        if extra and any(rx.search(line) for rx in extra):
            dropped.append(line)
            continue
        if len(line) > 500 and not line.startswith(("Baca", "BACA", "Read", "READ")):
            kept.append(line)  # a long paragraph: no line rule applies (all target short lines)
            after_label = False
            continue
        if not toks:  # punctuation / symbols only
            dropped.append(line)
            continue
        m = None
        if len(toks) <= 14:
            cl = re.sub(r"\s+", " ", re.sub(r"\s*\|\s*", " ", line)).strip(" -–—")
            cl = re.sub(r"\s+:", ":", cl)
            m = _CREDIT_RE.match(cl)
        if m and (not m.group(2) or (len(m.group(2)) <= 100 and not re.search(r"[.!?]\s*$", m.group(2).rstrip(")")))):
            if m.group(2):
                # one line may carry several credits: "Penulis: A | Editor: B", "Reporter: A Editor: B"
                marks = list(_CREDIT_INLINE_RE.finditer(cl))
                for j, mk in enumerate(marks):
                    end = marks[j + 1].start() if j + 1 < len(marks) else len(cl)
                    credit(_CREDIT_LABELS[mk.group(1).lower()], cl[mk.end():end].strip(" ,;|()[]"))
            else:
                pending_label = _CREDIT_LABELS[m.group(1).lower()]
            dropped.append(line)
            continue
        lm = _LAPORAN_RE.match(line) if len(toks) <= 12 else None
        if lm:
            credit("reporter", lm.group(1))
            dropped.append(line)
            continue
        if _TAGLINE_RE.match(line) and len(toks) <= 30:
            dropped.append(line)
            continue
        if _CREDIT_LABEL_ONLY_RE.match(norm):
            pending_label = _CREDIT_LABELS[_CREDIT_LABEL_ONLY_RE.match(norm).group(1).lower()]
            dropped.append(line)
            continue
        if _WIRE_CREDIT_RE.match(line) and len(toks) <= 30 and i >= n - 3:
            for part in re.split(r";", line.strip("() ")):
                mm = re.match(r"\s*(?:additional\s+)?(reporting|writing|editing)\s+by\s+(.*)", part, re.I)
                if mm:
                    credit("editor" if mm.group(1).lower() == "editing" else "reporter", mm.group(2).strip(" .)"))
            dropped.append(line)
            continue
        if _TEASER_RE.match(line) and len(toks) <= 40:
            dropped.append(line)
            after_label = True
            continue
        if len(toks) <= 45 and (_PROMO_RE.match(line) or _PROMO_ANY_RE.search(line)):
            cm = _CONTRIB_RE.match(line)
            if cm:
                credit("contributors", cm.group(1))
            tm = re.search(r"telah\s+tayang\s+di\s+([\w.\-]+)", line, re.I)
            if tm:
                credit("source", tm.group(1))
            dropped.append(line)
            continue
        if after_label and _BULLET_RE.match(line) and len(toks) <= 25:
            dropped.append(line)
            continue
        if norm in _WIDGET_LABELS or _COUNTER_RE.match(line) or _PAGER_RE.match(line):
            dropped.append(line)
            after_label = norm in _WIDGET_LABELS
            continue
        if not _BULLET_RE.match(line):
            after_label = False
        if _COPYRIGHT_RE.search(line) and len(toks) <= 30:
            dropped.append(line)
            continue
        if _NUMBER_ONLY_RE.match(line):
            dropped.append(line)
            continue
        if len(toks) <= 20 and (_EMAIL_LINE_RE.match(line) or _AD_LINE_RE.match(line)):
            dropped.append(line)
            continue
        if len(toks) <= 12:
            # date-only line (e.g. "Kamis, 05/11/2015 10:08 WIB"), possibly with a byline fragment
            pd = _date_span(line)
            if pd is not None and len(_tokens(line[: pd[0]] + line[pd[1]:])) <= 1:
                dropped.append(line)
                continue
        if title_toks and len(toks) >= 3:
            # repeated title, optionally followed by a photo credit ("... /Pexels")
            if toks[: len(title_toks)] == title_toks and len(toks) - len(title_toks) <= 4:
                dropped.append(line)
                continue
        if _INITIALS_RE.fullmatch(line.strip()):
            credit("initials", line.strip("() "))
            dropped.append(line)
            continue
        pm = _PHOTO_CREDIT_RE.search(line)
        if pm and len(toks) <= 45 and (pm.start() == 0 or len(toks) <= 30) and _looks_like_caption(line, pm):
            credit("photo", re.sub(r"^[(\s/]*(?:foto|photo)?\s*[:/]?\s*|\)\s*\.?\s*$", "", pm.group(0).strip()))
            dropped.append(line)
            continue
        kept.append(line)

    # leading kicker/breadcrumb lines ("MUDA DAN MENGINSPIRASI", "FotoBisnis") before the first paragraph
    while len(kept) > 1 and len(_tokens(kept[0])) <= 4 and not re.search(r"[.!?:\"”]\s*$", kept[0]) and len(_tokens(kept[1])) >= 8 \
            and (kept[0].isupper() or re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", kept[0].strip()) or len(_tokens(kept[0])) <= 2):
        dropped.append(kept.pop(0))
    # trailing debris: a run of short bullet teasers or 1-3 word lines after the last paragraph
    while len(kept) > 1 and (len(_tokens(kept[-1])) <= 3 or (_BULLET_RE.match(kept[-1]) and len(_tokens(kept[-1])) <= 20
                                                               and not re.search(r"[.;!?]\s*$", kept[-1]) and _headline_case(kept[-1])
                                                               and len(kept) > 2 and _BULLET_RE.match(kept[-2]))):
        dropped.append(kept.pop())
    return kept, {k: "; ".join(v) for k, v in credits.items()}, dropped


def _headline_case(line: str) -> bool:
    """Most words of 4+ letters capitalised (Title Case headline, typical of related-story lists)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", line)[1:] if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.85


def _looks_like_caption(line: str, m: re.Match) -> bool:
    # Credit in parentheses at the end of a caption-length line, or a bare "/Pexels" style credit.
    head = line[: m.start()].strip()
    if not head:
        return True
    return len(_tokens(head)) <= 40


def _date_span(line: str) -> tuple[int, int] | None:
    best = None
    for pat in _DATE_PATTERNS:
        m = pat.search(line)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


# --------------------------------------------------------------------------------------------
# Main entry
# --------------------------------------------------------------------------------------------


def _check_args(html, url, source_language, rules, fetched_at):
    if not isinstance(html, (str, bytes, bytearray)):
        raise TypeError(f"html must be str or bytes, got {type(html).__name__}")
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be str or None, got {type(url).__name__}")
    if source_language is not None:
        if not isinstance(source_language, str):
            raise TypeError(f"source_language must be str or None, got {type(source_language).__name__}")
        if not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?", source_language):
            raise ValueError(f"source_language must be an ISO 639 code, got {source_language!r}")
    if rules is not None and not isinstance(rules, SourceRules):
        if isinstance(rules, dict):
            rules = SourceRules.model_validate(rules)
        else:
            raise TypeError(f"rules must be SourceRules or None, got {type(rules).__name__}")
    if fetched_at is not None and not isinstance(fetched_at, datetime):
        raise TypeError(f"fetched_at must be datetime or None, got {type(fetched_at).__name__}")
    return rules


def extract_article(
    html: str | bytes,
    url: str | None = None,
    *,
    source_language: str | None = None,
    rules: SourceRules | None = None,
    fetched_at: datetime | None = None,
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

    Returns:
        :class:`Extraction`. Bad or empty HTML gives ``page_type='empty'`` with the reason in
        ``methods['error']``; this function does not raise on page content.

    Raises:
        TypeError: an argument has the wrong type. ValueError: ``source_language`` is not an
        ISO 639 code, or ``rules`` is a dict that does not validate.
    """
    rules = _check_args(html, url, source_language, rules, fetched_at)
    if fetched_at is None:
        fetched_at = datetime.now(timezone.utc)
    elif fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    try:
        return _extract(bytes(html) if isinstance(html, bytearray) else html, url, source_language, rules or SourceRules(), fetched_at)
    except Exception as e:  # noqa: BLE001 - one broken page must not sink the batch
        ex = Extraction(page_type="empty")
        ex.methods["error"] = f"{type(e).__name__}: {e}"[:500]
        return ex


#: Default cap on a decompressed local ``.gz`` page (bytes): ``FetchSettings.max_bytes``.
DEFAULT_MAX_BYTES = FetchSettings().max_bytes


def read_page_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a saved page; a ``.gz`` file is inflated while streaming, under the same
    cap and bomb guard as the fetcher (:func:`mediamon.fetch.gunzip_capped`): at most
    ``max_bytes`` bytes are produced and memory stays within that.

    Raises FileNotFoundError/OSError when the file cannot be read,
    :class:`mediamon.fetch.DecompressionBomb` (a ValueError) naming the file when it inflates
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
            raise ValueError(f"{p}: not gzip data ({e})") from None


def extract_file(path: str | Path, url: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES, **kw) -> Extraction:
    """Extract from an HTML file on disk (``.gz`` is inflated under the ``max_bytes`` cap, see
    :func:`read_page_file`). The bytes are decoded by :func:`decode_html` (BOM, ``<meta charset>``,
    detection), as over HTTP. ``kw`` as for :func:`extract_article`. Raises
    FileNotFoundError/OSError when the file cannot be read, ValueError (DecompressionBomb for
    one over the cap) naming the file when a ``.gz`` file cannot be inflated."""
    return extract_article(read_page_file(path, max_bytes), url, **kw)


def decode_html(body: bytes) -> tuple[str, str]:
    """Decode an HTML document's bytes (no HTTP header known): ``(text, 'codec (source)')``.

    :func:`mediamon.fetch.decode_body` with no Content-Type (BOM, then ``<meta charset>`` /
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


def _default_tz(lang: str | None):
    return timezone(timedelta(hours=7)) if lang == "id" else None


def _extract(html, url, source_language, rules: SourceRules, fetched_at: datetime) -> Extraction:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    ex = Extraction()
    if isinstance(html, bytes):
        html, ex.methods["encoding"] = decode_html(html)
    if not html.strip():
        ex.methods["error"] = "empty document"
        return ex
    head = html[:1500].lower()
    sample = html[:4000]
    bad = len(_BINARY_RE.findall(sample))
    if bad > 0.05 * len(sample):
        ex.methods["error"] = f"binary content ({bad} control/undecodable characters in the first {len(sample)})"
        return ex
    if not re.search(r"<[a-zA-Z!?]", sample):
        ex.methods["error"] = "not HTML (no markup)"
        return ex
    if re.search(r"<(?:rss|rdf:rdf|feed)[\s>]", head) and "<html" not in head:
        ex.page_type = "listing"
        ex.methods["page_type"] = "feed-document"
        return ex
    tree = load_html(html)
    if tree is None:
        try:
            from lxml import html as lhtml

            tree = lhtml.document_fromstring(html)
        except Exception as e:  # noqa: BLE001
            ex.methods["error"] = f"unparseable HTML: {e}"[:300]
            return ex

    meta = _page_metadata(tree, url)
    base_url = url or meta.get("canonical")
    prior_lang = source_language or meta.get("html_lang")

    # ---- title
    title, tmethod = _choose_title(tree, meta)
    ex.title, ex.methods["title"] = title, tmethod

    # ---- body (precision mode, fallback to balanced mode)
    # The tree is changed in place from here on (trafilatura works on its own copy); everything
    # read later (dates, bylines, page type) is unaffected by widget pruning and <p> wrapping.
    work = tree
    for xp in rules.prune_xpaths:
        try:
            found = work.xpath(xp)
        except etree.XPathError as e:
            ex.methods["rules_error"] = f"prune_xpath {xp!r}: {e}"
            continue
        for el in found if isinstance(found, list) else []:
            if isinstance(el, etree._Element):
                _drop(el)
    editor_texts = _prune_widgets(work)
    _wrap_loose_text(work)
    opts = dict(url=base_url, include_comments=False, include_tables=True, with_metadata=False)
    doc = bare_extraction(work, favor_precision=True, fast=True, **opts)
    raw = (doc.text if doc is not None else "") or ""
    method = "trafilatura-precision"
    lead = meta.get("description") or ""
    # Fallback: a short precision result (< 500 chars) is retried in balanced mode (with
    # trafilatura's readability/jusText comparison) and replaced when that gives over twice the
    # text. A missing lead paragraph is recovered structurally by _wrap_loose_text; re-running
    # on a missing meta-description lead did not help on the corpora (benchmarks/extraction.py).
    if len(raw) < 500:
        doc2 = bare_extraction(work, favor_precision=False, **opts)
        raw2 = (doc2.text if doc2 is not None else "") or ""
        if len(raw2) > 2 * len(raw):
            raw, method = raw2, "trafilatura-balanced"
    kept, credits, dropped = clean_lines(raw, title=title, extra_patterns=rules.extra_boilerplate_patterns)
    # a standfirst/summary repeated from the meta description, standing alone above the lead
    dt = _tokens(lead)
    if dt and len(dt) <= 30:
        for i, line in enumerate(kept[:2]):
            if _tokens(line) == dt and i + 1 < len(kept) and len(_tokens(kept[i + 1])) > len(dt):
                dropped.append(kept.pop(i))
                break
    ex.text = "\n".join(kept)
    ex.methods["text"] = f"{method}+line-rules (dropped {len(dropped)} lines)"

    # ---- page type
    ex.page_type, why = _page_type(tree, meta, url, ex.text, raw)
    ex.methods["page_type"] = why

    # ---- credits and people
    ex.credits = credits
    if not ex.credits.get("editor"):
        for t in editor_texts:  # credits in dedicated elements outside the body (class/id 'editor')
            m = _CREDIT_RE.match(t)
            if m and _CREDIT_LABELS[m.group(1).lower()] == "editor" and m.group(2):
                ex.credits["editor"] = m.group(2).strip()
                break
    sitename = meta.get("sitename")
    editor = None
    if ex.credits.get("editor"):
        editor = _split_people(ex.credits["editor"].split(";")[0])
        editor = editor[0] if editor else None
    ex.editor = editor
    if editor:
        ex.methods["editor"] = "credit-line"
    authors: list[str] = []
    exclude = {sitename or "", editor or "", meta.get("publisher") or ""}
    for cand, how in ((meta.get("ld_authors"), "json-ld"), (meta.get("meta_authors"), "meta"),
                      ([ex.credits.get("reporter")] if ex.credits.get("reporter") else None, "credit-line"),
                      (_bylines, "byline")):
        if callable(cand):
            cand = cand(tree)
        if not cand:
            continue
        people = _clean_people([p for c in cand for p in _split_people(c)], exclude)
        if people:
            authors, ex.methods["authors"] = people, how
            break
    ex.authors = authors

    # ---- syndication (a wire credit that is not the outlet itself)
    host = (urlsplit(base_url or "").hostname or "").replace(".", "").replace("-", "")

    def foreign(names):
        return [n for n in names if n == "AP" or n.lower().replace(" ", "") not in host]

    syn = None
    cands = [(ex.credits.get("source"), "credit-line")]
    if kept:
        m = _DATELINE_RE.match(kept[0])
        if m:
            cands.append((m.group(1), "dateline"))
            if wires_in(m.group(1)):
                ex.credits.setdefault("dateline", m.group(1))
    cands += [(a, "json-ld-author") for a in meta.get("ld_authors") or []]
    for value, how in cands:
        names = foreign(wires_in(value))
        if names:
            syn, ex.methods["syndication"] = names[0], how
            break
    ex.syndication = syn

    # ---- dates
    lang_for_tz = source_language or (meta.get("html_lang") or "")[:2] or None
    pub, pmethod = _choose_date(tree, meta, "published", fetched_at, _default_tz(lang_for_tz))
    if pub or pmethod.startswith(_REJECTED):  # a rejected date is recorded even when nothing replaced it
        ex.published_at, ex.methods["published_at"] = pub, pmethod
    mod, mmethod = _choose_date(tree, meta, "modified", fetched_at, _default_tz(lang_for_tz))
    if mod or mmethod.startswith(_REJECTED):
        ex.modified_at, ex.methods["modified_at"] = mod, mmethod

    # ---- language
    sample = ex.text or (title or "")
    lang, conf = detect_language(sample, prior_lang)
    ex.language = None if lang == "und" else lang
    ex.methods["language"] = f"py3langid+id/ms-cues (conf {conf})" if sample else "prior"

    # ---- canonical, image, tags, categories
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
    return ex


_INLINE = {"a", "b", "strong", "i", "em", "span", "font", "u", "small", "sup", "sub", "abbr", "cite", "q", "mark",
           "time", "code", "br", "img", "big", "s", "strike", "ins", "del", "label"}


def _wrap_loose_text(root) -> None:
    """Wrap runs of text sitting directly in a block container next to block children into <p>.

    Many CMS templates put the lead paragraph as bare text (``<div>Jakarta - lead...<p>...</p>``)
    or separate paragraphs with ``<br>`` only; trafilatura skips such text runs. Only containers
    with at least 80 characters of direct text are changed.
    """
    for el in list(root.iter("div", "article", "section", "td", "main")):
        direct = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if direct < 80:
            continue
        if not any(isinstance(c.tag, str) and c.tag not in _INLINE for c in el):
            continue  # inline-only container: trafilatura handles it as one block
        if el.xpath("./*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][.//a] | ancestor::aside | ancestor::nav | ancestor::footer"):
            continue  # teaser card (linked headline + blurb) or page chrome
        children = list(el)
        cur = etree.Element("p")
        cur.text, el.text = el.text, None
        items = []
        for c in children:
            el.remove(c)
            if isinstance(c.tag, str) and c.tag in _INLINE:
                cur.append(c)
                continue
            tail, c.tail = c.tail, None
            items.append(cur)
            items.append(c)
            cur = etree.Element("p")
            cur.text = tail
        items.append(cur)
        for it in items:
            if it.tag == "p" and it.get("class") is None and not (it.text or "").strip() and len(it) == 0:
                continue
            el.append(it)


_BINARY_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _bylines(tree) -> list[str]:
    """Visible byline texts (rel=author, itemprop=author, class *byline*/*author*), outside comments."""
    by = tree.xpath("//*[@rel='author' or @itemprop='author' or contains(@class,'byline') or contains(@class,'author-name')"
                    " or contains(@class,'author') and not(self::body or self::html)][not(self::meta)]")
    out = []
    for el in by[:8]:
        if any("comment" in (a.get("class") or "") for a in el.iterancestors()):
            continue
        t = _text(el)
        if 2 < len(t) < 80:
            out.append(t)
    return out[:5]


def _page_metadata(tree, url) -> dict[str, Any]:
    m: dict[str, Any] = {}
    idx = _meta_index(tree)
    html_el = tree if tree.tag == "html" else tree.getroottree().getroot()
    lang = (html_el.get("lang") or html_el.get("xml:lang") or _meta(idx, "og:locale", "language", "content-language") or "").strip()
    m["html_lang"] = lang.lower().replace("_", "-").split("-")[0] if lang else None
    can = tree.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')
    m["canonical"] = can[0].strip() if can and can[0].strip() else None
    m["og_url"] = _meta(idx, "og:url")
    m["og_title"] = _meta(idx, "og:title", "twitter:title")
    m["sitename"] = _meta(idx, "og:site_name", "application-name", "twitter:site")
    if m["sitename"]:
        m["sitename"] = m["sitename"].lstrip("@")
    m["description"] = _meta(idx, "og:description", "description", "twitter:description")
    m["og_type"] = (_meta(idx, "og:type") or "").lower()
    img = _meta(idx, "og:image", "og:image:url", "og:image:secure_url")
    if img:
        m["image"], m["image_method"] = img, "og:image"
    else:
        img = _meta(idx, "twitter:image", "twitter:image:src", "thumbnailUrl", "image")
        if img:
            m["image"], m["image_method"] = img, "meta-image"
    m["published"] = [(v, "meta:" + n) for n in ("article:published_time", "og:published_time", "datePublished", "pubdate",
                                                  "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
                                                  "DC.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
                                                  "content_PublishedDate", "dtk:publishdate", "article:published", "Date",
                                                  "original-publish-date", "OriginalPublicationDate", "publication_date")
                      for v in _meta_all(idx, n)]
    m["modified"] = [(v, "meta:" + n) for n in ("article:modified_time", "og:updated_time", "dateModified", "lastmod",
                                                 "last-modified", "dcterms.modified", "article:updated_time")
                     for v in _meta_all(idx, n)]
    for t in tree.xpath("//time[@datetime][@itemprop='datePublished' or @pubdate or contains(@class,'publish') or contains(@class,'entry-date')]"):
        m["published"].append((t.get("datetime"), "time-element"))
    tags = []
    for v in _meta_all(idx, "article:tag", "news_keywords", "keywords"):
        tags.extend(x.strip() for x in re.split(r"[,;]", v) if x.strip())
    cats = [v for v in _meta_all(idx, "article:section", "section", "category") if v]
    m["tags_method"] = m["categories_method"] = "meta"
    # JSON-LD
    ld_pub, ld_mod, ld_authors, ld_tags, ld_cats = [], [], [], [], []
    m["ld_types"] = set()
    for obj in _iter_jsonld(tree):
        ts = _types(obj)
        m["ld_types"] |= ts
        if ts & _ARTICLE_TYPES or obj.get("datePublished"):
            if ts & _ARTICLE_TYPES:
                m["ld_article"] = True
                if str(obj.get("isAccessibleForFree", "")).lower() == "false":
                    m["ld_paywalled"] = True
                if not m.get("ld_headline") and isinstance(obj.get("headline"), str):
                    m["ld_headline"] = obj["headline"].strip()
            if isinstance(obj.get("datePublished"), str):
                ld_pub.append(obj["datePublished"])
            if isinstance(obj.get("dateModified"), str):
                ld_mod.append(obj["dateModified"])
            for name, typ in _names(obj.get("author")):
                if typ != "organization":
                    ld_authors.append(name)
                else:
                    ld_authors.append(name)  # kept for wire detection; filtered as non-person below
            for name, _ in _names(obj.get("publisher")):
                m.setdefault("publisher", name)
            kw = obj.get("keywords")
            if isinstance(kw, str):
                ld_tags.extend(x.strip() for x in kw.split(",") if x.strip())
            elif isinstance(kw, list):
                ld_tags.extend(str(x).strip() for x in kw if str(x).strip())
            sec = obj.get("articleSection")
            if isinstance(sec, str) and sec.strip():
                ld_cats.append(sec.strip())
            elif isinstance(sec, list):
                ld_cats.extend(str(x).strip() for x in sec if str(x).strip())
            if not m.get("image"):
                im = obj.get("image")
                if isinstance(im, list) and im:
                    im = im[0]
                if isinstance(im, dict):
                    im = im.get("url")
                if isinstance(im, str):
                    m["image"], m["image_method"] = im, "json-ld"
    m["ld_pub"], m["ld_mod"], m["ld_authors"] = ld_pub, ld_mod, ld_authors
    if ld_tags and not tags:
        tags, m["tags_method"] = ld_tags, "json-ld"
    if ld_cats and not cats:
        cats, m["categories_method"] = ld_cats, "json-ld"
    m["tags"] = list(dict.fromkeys(t for t in tags if len(t) <= 80))[:50]
    m["categories"] = list(dict.fromkeys(cats))[:20]
    # authors in meta
    m["meta_authors"] = [v for v in _meta_all(idx, "author", "article:author", "dc.creator", "DC.creator", "byl",
                                              "sailthru.author", "parsely-author", "content_author") if not v.startswith("http")]
    return m


_TITLE_SEP_RE = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s*\|\s*|(?<=\w):\s+")


def _strip_site(title: str, sitename: str | None, host: str | None) -> str:
    parts = _TITLE_SEP_RE.split(title)
    if len(parts) < 2:
        return title.strip()
    keys = set()
    if sitename:
        keys.add(re.sub(r"\W", "", sitename.lower()))
    if host:
        h = host.lower().removeprefix("www.").split(".")
        keys.update(x for x in h if len(x) > 2 and x not in ("com", "net", "org", "co"))
        keys.add("".join(h[:-1]))

    def is_site(p):
        q = re.sub(r"\W", "", p.lower())
        return bool(q) and any(k and (q == k or q.startswith(k) or k.startswith(q) and len(q) > 3 or k in q and len(q) <= len(k) + 8) for k in keys)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) == len(_TITLE_SEP_RE.split(title)):
        return title.strip()
    # re-join with the original separators between kept parts
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else " - ".join(parts)


def _choose_title(tree, meta) -> tuple[str | None, str]:
    host = None
    for u in (meta.get("canonical"), meta.get("og_url")):
        if u and urlsplit(u).hostname:
            host = urlsplit(u).hostname
            break
    h1s = [_text(h) for h in tree.xpath("//h1")]
    h1s = [h for h in h1s if 10 <= len(h) <= 300]
    cands = []
    if meta.get("ld_headline"):
        cands.append((meta["ld_headline"], "json-ld:headline"))
    if meta.get("og_title"):
        cands.append((meta["og_title"], "og:title"))
    tt = tree.xpath("//title")
    if tt:
        t = _text(tt[0])
        if t:
            cands.append((t, "title-element"))
    # An <h1> that matches the start of a meta title is the cleanest form of it.
    for c, how in cands:
        for h in h1s:
            if _tokens(h) and _tokens(c)[: len(_tokens(h))] == _tokens(h):
                return h, f"h1 (matches {how})"
    for c, how in cands:
        s = _strip_site(c, meta.get("sitename"), host)
        if s:
            return s, how + ("-site-stripped" if s != c.strip() else "")
    if h1s:
        return h1s[0], "h1"
    return None, "none"


_REJECTED = "rejected:implausible"


def _choose_date(tree, meta, kind: str, fetched_at: datetime, default_tz) -> tuple[str | None, str]:
    """Best ``kind`` ('published'|'modified') date of the page: ``(ISO 8601 | None, method)``.

    Candidates outside :func:`plausible_date` (before 1990, after the fetch time plus a day)
    are dropped and named in the method: ``'rejected:implausible(json-ld:datePublished=0001-01-01T00:00:00Z)'``,
    followed by ``' -> <method>'`` when another candidate was used, alone with None when none was."""
    rejected: list[str] = []
    chosen, how = _choose_plausible_date(tree, meta, kind, fetched_at, default_tz, rejected)
    if not rejected:
        return chosen, how
    why = f"{_REJECTED}({', '.join(rejected)})"
    return (chosen, f"{why} -> {how}") if chosen else (None, why)


def _choose_plausible_date(tree, meta, kind: str, fetched_at: datetime, default_tz,
                           rejected: list[str]) -> tuple[str | None, str]:
    limit = fetched_at + timedelta(minutes=15)
    cands: list[tuple[str, str]] = []
    if kind == "published":
        cands += [(v, "json-ld:datePublished") for v in meta.get("ld_pub", [])]
        cands += meta.get("published", [])
    else:
        cands += [(v, "json-ld:dateModified") for v in meta.get("ld_mod", [])]
        cands += meta.get("modified", [])
    date_only = None
    for v, how in cands:
        dt = _parse_iso(v) if v else None
        if dt is None:
            continue
        has_time = bool(re.search(r"\d[T ]\d{1,2}:\d\d|\d{1,2}[:.]\d\d", v))
        if dt.tzinfo is None:
            # naive: prefer the zone of a visible date with the same day/time
            vis = _visible_date(tree, default_tz) if kind == "published" else None
            if vis and vis[0].tzinfo and vis[0].replace(tzinfo=None, second=0) == dt.replace(second=0):
                dt, how = vis[0], how + "+visible-tz"
            elif default_tz is not None:
                dt, how = dt.replace(tzinfo=default_tz), how + "+assumed-source-tz"
            else:
                dt, how = dt.replace(tzinfo=timezone.utc), how + "+assumed-utc"
        if not plausible_date(dt, fetched_at):
            rejected.append(f"{how.split('+')[0]}={v.strip()[:40]}")
            continue
        if dt > limit:
            continue
        if not has_time:
            date_only = date_only or (dt, how + " (date only)")
            continue
        return dt.isoformat(), how
    if kind == "published":
        vis = _visible_date(tree, default_tz)
        if vis:
            dt, has_time, how = vis
            if dt.tzinfo is None:
                dt, how = dt.replace(tzinfo=timezone.utc), how + "+assumed-utc"
            if dt <= limit and (has_time or date_only is None):
                if date_only and not has_time:
                    pass
                elif has_time or not date_only:
                    return dt.isoformat(), how + ("" if has_time else " (date only)")
    if date_only:
        return date_only[0].isoformat(), date_only[1]
    if kind == "published":
        try:
            from htmldate import find_date

            d = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d",
                          max_date=fetched_at.strftime("%Y-%m-%d"))
        except Exception:  # noqa: BLE001
            d = None
        if d:
            dt = datetime.fromisoformat(d).replace(tzinfo=default_tz or timezone.utc)
            if dt <= limit:
                return dt.isoformat(), "htmldate (date only)"
    return None, "none"


_SKIP_TAGS = {"script", "style", "noscript", "a", "option", "select", "button", "template"}


_DIGIT_RE = re.compile(r"\d")


def _visible_date(tree, default_tz):
    """First date in visible text after the headline (<h1>) outside links; else first on page."""
    body = tree.find(".//body")
    if body is None:
        return None
    h1 = tree.find(".//h1")
    seen_h1 = h1 is None
    first_any = None
    count = 0
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el is h1:
            seen_h1 = True
        chunks = [c for c in (el.text, el.get("datetime") if el.tag == "time" else None) if c and _DIGIT_RE.search(c)]
        if not chunks or el.tag in _SKIP_TAGS or any(a.tag in _SKIP_TAGS for a in el.iterancestors()):
            continue
        for chunk in chunks:
            count += 1
            if count > 400:
                break
            r = parse_date_text(chunk[:300], default_tz)
            if r:
                if seen_h1:
                    return r[0], r[1], "visible-date-after-h1"
                if first_any is None:
                    first_any = (r[0], r[1], "visible-date")
    return first_any


def _page_type(tree, meta, url, text, raw) -> tuple[str, str]:
    title_txt = " ".join(_text(t) for t in tree.iter("title"))[:200]
    body = tree.find(".//body")
    n_words = len(text.split())
    if _BOTWALL_RE.search(title_txt.lower()):
        return "botwall", "botwall-phrases"
    if n_words < 250 and body is not None:
        body_text = re.sub(r"\s+", " ", body.text_content()).lower()
        if len(body_text) < 3000 and n_words < 150 and _BOTWALL_RE.search(body_text):
            return "botwall", "botwall-phrases"
        if _PAYWALL_RE.search(body_text):
            return "paywall", "paywall-phrases"
    if meta.get("ld_paywalled") and (n_words < 400 or _PAYWALL_RE.search(text[-600:].lower())):
        return "paywall", "json-ld-isAccessibleForFree"
    ld_types = meta.get("ld_types", set())
    articleish = bool(meta.get("ld_article")) or meta["og_type"] == "article" or bool(
        [v for v, how in meta.get("published", []) if how.startswith("meta:article")])
    paras = [ln for ln in text.split("\n") if len(ln.split()) >= 15]
    # listing cues (only computed when needed): link density of the body and headline-link count
    link_text = headline_links = n_links = 0
    density = 0.0
    listing_title = bool(_LISTING_TITLE_RE.search(title_txt))
    if body is not None and (len(paras) < 8 or (listing_title and len(paras) < 20)):
        links = body.xpath(".//a[@href]")
        texts = [a.text_content() for a in links]
        n_links = len(links)
        link_text = sum(len(t.strip()) for t in texts)
        headline_links = sum(1 for t in texts if len(t.split()) >= 5)
        density = link_text / max(1, len(re.sub(r"\s+", " ", body.text_content())))
    page_url = url or meta.get("canonical") or meta.get("og_url")
    path = urlsplit(page_url).path if page_url else None
    url_listing = bool(path is not None and _LISTING_URL_RE.search(path))
    if path is not None and path.strip("/") == "" and not meta.get("ld_article"):
        return "listing", "root-url"
    if not text.strip():
        if url_listing or headline_links >= 15 or (n_links >= 20 and density > 0.7):
            return "listing", f"no-body+headline-links={headline_links}"
        return "empty", "no-body-text"
    if ld_types & _LISTING_TYPES and not meta.get("ld_article"):
        return "listing", "json-ld-listing-type"
    if listing_title and len(paras) < 20 and headline_links >= 10:
        return "listing", f"listing-title+headline-links={headline_links}"
    if articleish and headline_links >= 60 and density > 0.5 and len(paras) < 3:
        return "listing", f"article-markup-but-link-density={density:.2f},headline-links={headline_links}"
    if not articleish:
        if url_listing and len(paras) < 8:
            return "listing", "url-pattern"
        if headline_links >= 25 and density > 0.45 and len(paras) < 5:
            return "listing", f"link-density={density:.2f},headline-links={headline_links}"
        if headline_links >= 40 and len(paras) < 3:
            return "listing", f"headline-links={headline_links}"
        if n_links >= 20 and density > 0.7 and len(paras) < 3:
            return "listing", f"link-density={density:.2f},links={n_links}"
    if n_words < 30 and not paras and len(text) < 200:
        return "empty", "too-little-text"
    return "article", "default" if not articleish else "article-markup"
