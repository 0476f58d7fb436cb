"""Regenerate the static demo news site under ``demo/site/`` from ``demo/content.py``.

Usage: ``python demo/build_site.py`` (idempotent; rewrites demo/site/). The generated files are
committed, so ``make demo`` does not need to run this. Absolute URLs are written with the
``{{BASE}}`` placeholder, which ``demo/serve.py`` replaces with the server's real base URL
(e.g. ``http://127.0.0.1:8765``) when serving text files.

Each outlet has its own HTML template (different markup and boilerplate, as different real
sites have), all carrying what real Indonesian news pages carry: JSON-LD NewsArticle,
og:* and article:published_time meta, rel=canonical, photo caption with credit, 'Baca Juga'
lines inside the body, a 'Halaman: 1 2' pager, Editor/Sumber credit lines, a tag block,
side widgets (Artikel Pilihan, Terkait, Terkini, Terpopuler, Kabar Daerah), share counts
and a copyright footer.
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from content import ARTICLES, DAY, OUTLETS  # noqa: E402
from history import history_articles  # noqa: E402

SITE = HERE / "site"
BASE = "{{BASE}}"
ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember"]

env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _dt(a: dict) -> datetime:
    return datetime.fromisoformat(f"{a.get('date', DAY)}T{a['time']}:00+07:00")


def _url(outlet_id: str, path: str) -> str:
    return f"{BASE}/{outlet_id}/{path}"


ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def _id_date(d: datetime) -> str:
    return f"{ID_DAYS[d.weekday()]}, {d.day} {ID_MONTHS[d.month - 1]} {d.year}, {d:%H:%M} WIB"


def _en_date(d: datetime) -> str:
    return f"{d:%A}, {d.day} {d:%B %Y}, {d:%H:%M} WIB"


def _shares(n: int) -> str:
    return f"{n / 1000:.1f}K".replace(".0K", "K") if n >= 1000 else str(n)


HEAD = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ a.title }} - {{ o.name }}</title>
<meta name="description" content="{{ a.description }}">
<meta name="author" content="{{ a.author }}">
<meta name="keywords" content="{{ a.tags|join(', ') }}">
{% if not a.no_canonical %}<link rel="canonical" href="{{ a.url }}">
{% endif %}
<link rel="alternate" type="{{ feed_type }}" title="{{ o.name }}" href="{{ feed_url }}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{{ o.name }}">
<meta property="og:title" content="{{ a.title }}">
<meta property="og:description" content="{{ a.description }}">
<meta property="og:url" content="{{ a.url }}">
<meta property="og:image" content="{{ a.image }}">
<meta property="og:locale" content="{{ 'id_ID' if lang == 'id' else 'en_US' }}">
<meta property="article:published_time" content="{{ a.iso }}">
<meta property="article:modified_time" content="{{ a.iso }}">
<meta property="article:section" content="{{ a.section }}">
<meta property="article:author" content="{{ a.author }}">
{% for t in a.tags %}<meta property="article:tag" content="{{ t }}">
{% endfor %}
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{ a.title }}">
<link rel="stylesheet" href="{{ base }}/{{ o.id }}/static/style.css">
<script type="application/ld+json">{{ a.jsonld|safe }}</script>
</head>
"""

KN = HEAD + """<body class="kn">
<div class="topbar">{{ o.tagline }} &middot; Rabu, 2 Februari 2022</div>
<header class="site-header">
  <a class="logo" href="{{ base }}/{{ o.id }}/">{{ o.name }}</a>
  <nav class="main-nav"><ul>
    <li><a href="{{ base }}/{{ o.id }}/">Beranda</a></li>
    {% for s in o.sections %}<li><a href="{{ base }}/{{ o.id }}/">{{ s }}</a></li>{% endfor %}
    <li><a href="{{ base }}/{{ o.id }}/{{ o.feed }}">RSS</a></li>
  </ul></nav>
  <form class="search"><input type="search" placeholder="Cari berita..."></form>
</header>
<div class="breadcrumb"><a href="{{ base }}/{{ o.id }}/">Beranda</a> &rsaquo; <a href="{{ base }}/{{ o.id }}/">{{ a.section }}</a> &rsaquo; {{ a.title }}</div>
<main class="container">
<article class="read">
  <h1 class="read__title">{{ a.title }}</h1>
  <div class="read__meta">
    <span class="read__author">Penulis: <a href="{{ base }}/{{ o.id }}/">{{ a.author }}</a></span>
    <time class="read__time" datetime="{{ a.iso }}">{{ a.date_text }}</time>
  </div>
  <div class="share-bar"><span class="share-count">{{ a.shares_text }} Dibagikan</span>
    <a href="#" class="share fb">Facebook</a> <a href="#" class="share tw">Twitter</a> <a href="#" class="share wa">WhatsApp</a></div>
  <figure class="photo">
    <img src="{{ a.image }}" alt="{{ a.title }}" width="780" height="440">
    <figcaption class="photo__caption">{{ a.image_caption }}</figcaption>
  </figure>
  <div class="read__content">
  {% for p in a.body %}
    {% if p.kind == 'p' %}<p>{{ p.text }}</p>
    {% else %}<p class="baca-juga"><strong>Baca Juga:</strong> <a href="{{ p.url }}">{{ p.text }}</a></p>
    {% endif %}
  {% endfor %}
  </div>
  {% if a.pager %}<div class="paging"><span>Halaman:</span> <a class="paging__link paging__link--active" href="{{ a.url }}?page=1">1</a> <a class="paging__link" href="{{ a.url }}?page=2">2</a> <a class="paging__link" href="{{ a.url }}?page=all">Tampilkan Semua</a></div>
  {% endif %}
  <div class="read__credit">
    <p>Editor: {{ a.editor }}</p>
    {% if a.credit %}<p>Sumber: {{ a.credit }}</p>{% endif %}
  </div>
  <div class="tag">
    <h3 class="tag__title">Tags</h3>
    <ul class="tag__list">{% for t in a.tags %}<li><a href="{{ base }}/{{ o.id }}/">{{ t }}</a></li>{% endfor %}</ul>
  </div>
  <section class="widget related"><h3>Terkait</h3><ul>{% for r in related %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ul></section>
  <div class="comments">Komentar dinonaktifkan untuk artikel ini.</div>
</article>
<aside class="sidebar">
  <section class="widget"><h3>Terpopuler</h3><ol>{% for r in popular %}<li><a href="{{ r.url }}">{{ r.title }}</a> <span class="count">{{ r.shares_text }} dibaca</span></li>{% endfor %}</ol></section>
  <section class="widget"><h3>Artikel Pilihan</h3><ul>{% for r in picks %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ul></section>
  <section class="widget"><h3>Kabar Daerah</h3><ul>{% for r in regional %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ul></section>
  <div class="ads">Iklan</div>
</aside>
</main>
<section class="widget latest"><h3>Terkini</h3><ul>{% for r in latest %}<li><a href="{{ r.url }}">{{ r.title }}</a> <time>{{ r.time }} WIB</time></li>{% endfor %}</ul></section>
<footer class="site-footer">
  <ul class="footer-nav"><li><a href="{{ base }}/{{ o.id }}/">Tentang Kami</a></li><li><a href="{{ base }}/{{ o.id }}/">Redaksi</a></li><li><a href="{{ base }}/{{ o.id }}/">Pedoman Media Siber</a></li><li><a href="{{ base }}/{{ o.id }}/">Kontak</a></li></ul>
  <p>&copy; 2022 {{ o.name }}. Seluruh hak cipta dilindungi. Situs fiktif untuk demo mediamon.</p>
</footer>
</body>
</html>
"""

WH = HEAD + """<body>
<div id="wrapper">
<header id="masthead">
  <div class="brand"><a href="{{ base }}/{{ o.id }}/"><span class="brand-name">{{ o.name }}</span></a><small>{{ o.tagline }}</small></div>
  <nav id="menu">{% for s in o.sections %}<a href="{{ base }}/{{ o.id }}/">{{ s }}</a>{% if not loop.last %} | {% endif %}{% endfor %}</nav>
</header>
<div id="content" class="row">
<div class="col-main">
  <div class="post-category"><a href="{{ base }}/{{ o.id }}/">{{ a.section }}</a></div>
  <h1 class="post-title">{{ a.title }}</h1>
  <div class="post-info">
    <div class="byline">Oleh <b>{{ a.author }}</b></div>
    <div class="date">{{ a.date_text }}</div>
    <div class="social"><span class="total-share">{{ a.shares_text }}</span> shares &middot; Bagikan: <a href="#">FB</a> <a href="#">X</a> <a href="#">WA</a> <a href="#">Salin Link</a></div>
  </div>
  <div class="featured-image">
    <img src="{{ a.image }}" alt="">
    <div class="caption">{{ a.title }} | {{ a.image_caption }}</div>
  </div>
  <div class="entry-content" itemprop="articleBody">
  {% for p in a.body %}
    {% if p.kind == 'p' %}<p>{{ p.text }}</p>
    {% else %}<p><b>Baca Juga: <a href="{{ p.url }}">{{ p.text }}</a></b></p>
    {% endif %}
  {% endfor %}
  {% if a.credit %}<p><i>Sumber: {{ a.credit }}</i></p>{% endif %}
  <p class="editor">Editor: {{ a.editor }}</p>
  </div>
  {% if a.pager %}<div class="pagination">Halaman: <b>1</b> <a href="{{ a.url }}?page=2">2</a> <a href="{{ a.url }}?page=2">Selanjutnya &raquo;</a></div>
  {% endif %}
  <div class="post-tags"><span>Tags:</span> {% for t in a.tags %}<a rel="tag" href="{{ base }}/{{ o.id }}/">#{{ t }}</a> {% endfor %}</div>
  <div class="box-terkait"><h4>Berita Terkait</h4>{% for r in related %}<div class="item"><a href="{{ r.url }}">{{ r.title }}</a></div>{% endfor %}</div>
</div>
<div class="col-side">
  <div class="box"><h4>Terkini</h4>{% for r in latest %}<div class="item"><span class="t">{{ r.time }}</span> <a href="{{ r.url }}">{{ r.title }}</a></div>{% endfor %}</div>
  <div class="box"><h4>Terpopuler</h4>{% for r in popular %}<div class="item"><span class="n">{{ loop.index }}</span> <a href="{{ r.url }}">{{ r.title }}</a></div>{% endfor %}</div>
  <div class="box"><h4>Artikel Pilihan</h4>{% for r in picks %}<div class="item"><a href="{{ r.url }}">{{ r.title }}</a></div>{% endfor %}</div>
  <div class="box"><h4>Kabar Daerah</h4>{% for r in regional %}<div class="item"><a href="{{ r.url }}">{{ r.title }}</a></div>{% endfor %}</div>
</div>
</div>
<footer id="colophon"><p>Copyright &copy; 2022 {{ o.name }} &mdash; All Rights Reserved. Situs fiktif untuk demo mediamon.</p><p><a href="{{ base }}/{{ o.id }}/">Redaksi</a> &middot; <a href="{{ base }}/{{ o.id }}/">Info Iklan</a> &middot; <a href="{{ base }}/{{ o.id }}/">Kebijakan Privasi</a></p></footer>
</div>
</body>
</html>
"""

JDL = HEAD + """<body class="ledger">
<header class="masthead">
  <div class="edition">Jakarta Edition &middot; Wednesday, February 2, 2022</div>
  <a class="wordmark" href="{{ base }}/{{ o.id }}/">{{ o.name }}</a>
  <nav class="sections">{% for s in o.sections %}<a href="{{ base }}/{{ o.id }}/">{{ s }}</a> {% endfor %}<a href="{{ base }}/{{ o.id }}/">Subscribe</a></nav>
</header>
<main>
<article class="story">
  <p class="kicker">{{ a.section }}</p>
  <h1 class="headline">{{ a.title }}</h1>
  <p class="dek">{{ a.description }}</p>
  <div class="byline">By <span class="author">{{ a.author }}</span> &middot; <time datetime="{{ a.iso }}">{{ a.date_text }}</time></div>
  <div class="shares">{{ a.shares_text }} shares</div>
  <figure><img src="{{ a.image }}" alt=""><figcaption>{{ a.image_caption }}</figcaption></figure>
  <div class="story-body">
  {% for p in a.body %}
    {% if p.kind == 'p' %}<p>{{ p.text }}</p>
    {% else %}<aside class="inline-link">Read also: <a href="{{ p.url }}">{{ p.text }}</a></aside>
    {% endif %}
  {% endfor %}
  </div>
  <p class="credits">Editor: {{ a.editor }}{% if a.credit %} &middot; Source: {{ a.credit }}{% endif %}</p>
  <div class="topics">Topics: {% for t in a.tags %}<a href="{{ base }}/{{ o.id }}/">{{ t }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</div>
  <section class="related"><h2>Related</h2><ul>{% for r in related %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ul></section>
</article>
<aside class="rail">
  <section><h2>Latest</h2><ul>{% for r in latest %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ul></section>
  <section><h2>Most Read</h2><ol>{% for r in popular %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ol></section>
  <section><h2>Editor's Picks</h2><ul>{% for r in picks %}<li><a href="{{ r.url }}">{{ r.title }}</a></li>{% endfor %}</ul></section>
  <div class="newsletter">Get the Ledger Morning Brief in your inbox. <a href="{{ base }}/{{ o.id }}/">Sign up</a></div>
</aside>
</main>
<footer class="colophon">&copy; 2022 {{ o.name }}. All rights reserved. A fictional outlet for the mediamon demo. <a href="{{ base }}/{{ o.id }}/">Privacy</a> &middot; <a href="{{ base }}/{{ o.id }}/">Terms</a></footer>
</body>
</html>
"""

HOME = """<!DOCTYPE html>
<html lang="{{ o.language }}">
<head><meta charset="utf-8"><title>{{ o.name }} - {{ o.tagline }}</title>
<link rel="canonical" href="{{ base }}/{{ o.id }}/">
<link rel="alternate" type="{{ feed_type }}" title="{{ o.name }}" href="{{ feed_url }}">
<meta property="og:type" content="website"><meta property="og:site_name" content="{{ o.name }}">
<link rel="stylesheet" href="{{ base }}/{{ o.id }}/static/style.css"></head>
<body>
<header class="site-header"><a class="logo" href="{{ base }}/{{ o.id }}/">{{ o.name }}</a>
<nav>{% for s in o.sections %}<a href="{{ base }}/{{ o.id }}/">{{ s }}</a> {% endfor %}<a href="{{ feed_url }}">RSS</a></nav></header>
<main class="listing">
<h1>{{ 'Berita Terkini' if o.language == 'id' else 'Latest News' }}</h1>
<ul class="article-list">
{% for a in arts %}<li class="article-item"><a class="article-link" href="{{ a.url }}"><h2>{{ a.title }}</h2></a>
<p class="excerpt">{{ a.description }}</p><span class="meta">{{ a.section }} &middot; <time datetime="{{ a.iso }}">{{ a.date_text }}</time></span></li>
{% endfor %}
</ul>
</main>
<footer class="site-footer">&copy; 2022 {{ o.name }}. Situs fiktif untuk demo mediamon.</footer>
</body></html>
"""

ROOT_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mediamon demo news sites</title></head>
<body><h1>mediamon demo: fictional news outlets</h1>
<p>All outlets, authors and articles here are fictional demo material served locally by <code>demo/serve.py</code>.</p>
<ul>
{% for o in outlets %}<li><a href="{{ base }}/{{ o.id }}/">{{ o.name }}</a> ({{ o.language }}) &mdash; feed: <a href="{{ base }}/{{ o.id }}/{{ o.feed }}">{{ o.feed }}</a>{% if o.sitemap %}, sitemap: <a href="{{ base }}/{{ o.id }}/{{ o.sitemap }}">{{ o.sitemap }}</a>{% endif %}</li>
{% endfor %}
</ul></body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{{ o.name }}</title>
<link>{{ base }}/{{ o.id }}/</link>
<description>{{ o.tagline }}</description>
<language>{{ o.language }}</language>
<lastBuildDate>{{ last }}</lastBuildDate>
<atom:link href="{{ base }}/{{ o.id }}/{{ o.feed }}" rel="self" type="application/rss+xml"/>
{% for a in items %}<item>
<title>{{ a.title }}</title>
<link>{{ a.feed_link }}</link>
<guid isPermaLink="{{ 'false' if a.tracking else 'true' }}">{{ a.feed_link }}</guid>
<pubDate>{{ a.rfc822 }}</pubDate>
<dc:creator>{{ a.author }}</dc:creator>
<category>{{ a.section }}</category>
<description>{{ a.description }}</description>
</item>
{% endfor %}
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ o.language }}">
<title>{{ o.name }}</title>
<subtitle>{{ o.tagline }}</subtitle>
<id>{{ base }}/{{ o.id }}/</id>
<link rel="alternate" href="{{ base }}/{{ o.id }}/"/>
<link rel="self" href="{{ base }}/{{ o.id }}/{{ o.feed }}"/>
<updated>{{ updated }}</updated>
{% for a in items %}<entry>
<title>{{ a.title }}</title>
<link rel="alternate" type="text/html" href="{{ a.feed_link }}"/>
<id>{{ a.feed_link }}</id>
<published>{{ a.iso }}</published>
<updated>{{ a.iso }}</updated>
<author><name>{{ a.author }}</name></author>
<category term="{{ a.section }}"/>
<summary>{{ a.description }}</summary>
</entry>
{% endfor %}
</feed>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{% for a in items %}<url>
<loc>{{ a.url }}</loc>
<lastmod>{{ a.iso }}</lastmod>
<news:news><news:publication><news:name>{{ o.name }}</news:name><news:language>{{ o.language }}</news:language></news:publication>
<news:publication_date>{{ a.iso }}</news:publication_date><news:title>{{ a.title }}</news:title></news:news>
</url>
{% endfor %}
</urlset>
"""

ROBOTS = """# mediamon demo site: everything may be crawled, no crawl delay (keeps the demo fast).
User-agent: *
Disallow: /admin/
Allow: /

Sitemap: {{BASE}}/jakarta-daily-ledger/sitemap.xml
"""

CSS = {
    "kn": "body{font-family:Arial,sans-serif;margin:0;color:#222}.topbar{background:#0b3d91;color:#fff;font-size:12px;padding:4px 16px}"
          ".site-header{display:flex;gap:24px;align-items:center;padding:12px 16px;border-bottom:3px solid #e3262f}"
          ".logo{font-size:28px;font-weight:bold;color:#e3262f;text-decoration:none}.main-nav ul{list-style:none;display:flex;gap:12px;margin:0;padding:0}"
          ".container{display:flex;gap:24px;max-width:1100px;margin:auto;padding:16px}.read{flex:3}.sidebar{flex:1}"
          ".photo__caption{font-size:12px;color:#666}.baca-juga{background:#f4f4f4;padding:6px}.widget h3{border-left:4px solid #e3262f;padding-left:6px}"
          ".site-footer{background:#222;color:#ccc;padding:16px}.article-item{margin-bottom:12px}",
    "wh": "body{font-family:Georgia,serif;background:#faf7f0;color:#1d1d1d}#wrapper{max-width:1080px;margin:auto}"
          "#masthead{border-bottom:2px solid #1d1d1d;padding:12px}.brand-name{font-size:34px;font-weight:bold}"
          ".row{display:flex;gap:24px}.col-main{flex:3}.col-side{flex:1}.caption{font-size:12px;color:#555}"
          ".box{background:#fff;padding:8px;margin-bottom:12px}#colophon{border-top:1px solid #999;font-size:12px}",
    "jdl": "body{font-family:'Times New Roman',serif;margin:0;color:#111}.masthead{text-align:center;border-bottom:1px solid #111;padding:12px}"
           ".wordmark{font-size:40px;font-weight:bold;color:#111;text-decoration:none;display:block}main{display:flex;gap:32px;max-width:1100px;margin:auto}"
           ".story{flex:3}.rail{flex:1;font-family:Arial,sans-serif}.kicker{text-transform:uppercase;color:#b00}.dek{font-size:20px;color:#444}"
           "figcaption{font-size:12px;color:#666}.colophon{font-size:12px;text-align:center;padding:16px}",
}

IMG_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="780" height="440" viewBox="0 0 780 440">
<rect width="780" height="440" fill="{color}"/><text x="390" y="230" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">{label}</text></svg>
"""


def _prepare(a: dict, o: dict) -> dict:
    """An article dict of ``content.ARTICLES`` (or ``history.history_articles``) with the derived
    fields the templates use (url, iso/rfc822 times, date text, image, description)."""
    d = _dt(a)
    a = dict(a)
    a["url"] = _url(o["id"], a["path"] + ".html")
    a["iso"] = d.isoformat()
    a["rfc822"] = format_datetime(d)
    a["date_text"] = _id_date(d) if o["language"] == "id" else _en_date(d)
    a["shares_text"] = _shares(a["shares"])
    a["image"] = f"{BASE}/{o['id']}/static/img/{a.get('image_key', a['key'])}.svg"
    first = a["paras"][0]
    lead = first.split(" - ", 1)[-1].split(" \u2014 ", 1)[-1]
    a["description"] = (lead[:157] + "...") if len(lead) > 160 else lead
    return a


_TEMPLATES: dict = {}


def _template(name: str):
    """The compiled page template of an outlet template name (kn, wh, jdl), compiled once."""
    if name not in _TEMPLATES:
        _TEMPLATES[name] = env.from_string({"kn": KN, "wh": WH, "jdl": JDL}[name])
    return _TEMPLATES[name]


def _render_page(a: dict, o: dict, arts: list[dict]) -> str:
    """The HTML page of the prepared article ``a`` of outlet ``o``; ``arts``: the outlet's prepared
    articles, newest first (side widgets, 'Baca Juga' lines). Sets ``a["body"]``, ``a["jsonld"]``."""
    feed_type = "application/atom+xml" if o["feed_kind"] == "atom" else "application/rss+xml"
    feed_url = f"{BASE}/{o['id']}/{o['feed']}"
    tmpl = _template(o["template"])
    others = [x for x in arts if x["key"] != a["key"]]
    # 'Baca Juga' lines inside the body, linking other articles of the outlet
    body, bj = [], list(others)
    for i, p in enumerate(a["paras"]):
        body.append({"kind": "p", "text": p})
        if i in a.get("baca_juga_after", []) and bj:
            r = bj.pop(0)
            body.append({"kind": "bj", "text": r["title"], "url": r["url"]})
    a["body"] = body
    a["jsonld"] = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]},
        "headline": a["title"], "description": a["description"], "image": [a["image"]],
        "datePublished": a["iso"], "dateModified": a["iso"], "inLanguage": o["language"],
        "articleSection": a["section"], "keywords": a["tags"],
        "author": [{"@type": "Person", "name": a["author"]}],
        "publisher": {"@type": "Organization", "name": o["name"],
                      "logo": {"@type": "ImageObject", "url": f"{BASE}/{o['id']}/static/img/logo.svg"}},
    }, ensure_ascii=False).replace("</", "<\\/")
    return tmpl.render(
        a=a, o=o, lang=o["language"], base=BASE, feed_type=feed_type, feed_url=feed_url,
        related=others[:3], popular=sorted(others, key=lambda x: -x["shares"])[:4], picks=others[-2:],
        latest=[{**x, "time": x["time"]} for x in others[:5]],
        regional=[x for x in others if x["section"] in ("Daerah", "Regional", "Nasional", "Indonesia")][:3] or others[:2],
    )


def build(site: Path = SITE) -> list[Path]:
    """Write the whole demo site to ``site`` (removed first). Returns the written files."""
    if site.exists():
        shutil.rmtree(site)
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        p = site / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        written.append(p)

    by_outlet: dict[str, list[dict]] = {o["id"]: [] for o in OUTLETS}
    titles = {a["key"]: a["title"] for a in ARTICLES}
    for a in ARTICLES:
        o = next(o for o in OUTLETS if o["id"] == a["outlet"])
        by_outlet[o["id"]].append(_prepare(a, o))
    assert len(titles) == len(ARTICLES), "duplicate article keys"

    for o in OUTLETS:
        arts = sorted(by_outlet[o["id"]], key=lambda x: x["iso"], reverse=True)
        feed_type = "application/atom+xml" if o["feed_kind"] == "atom" else "application/rss+xml"
        feed_url = f"{BASE}/{o['id']}/{o['feed']}"
        for a in arts:
            page = _render_page(a, o, arts)
            write(f"{o['id']}/{a['path']}.html", page)
            for alias in a.get("alias_paths", []):
                write(f"{o['id']}/{alias}.html", page)
            write(f"{o['id']}/static/img/{a['key']}.svg",
                  IMG_SVG.format(color="#35506b", label=html.escape(a["section"])))
        write(f"{o['id']}/static/img/logo.svg", IMG_SVG.format(color="#aa2222", label=html.escape(o["name"])))
        write(f"{o['id']}/static/style.css", CSS[o["template"]] + "\n")
        write(f"{o['id']}/index.html", env.from_string(HOME).render(o=o, arts=arts, base=BASE, feed_type=feed_type, feed_url=feed_url))

        items = []
        for a in arts:
            items.append({**a, "feed_link": a["url"], "tracking": False})
            for alias in a.get("alias_paths", []):
                if not alias.startswith("amp/"):
                    items.append({**a, "feed_link": _url(o["id"], alias + ".html"), "tracking": False})
            if a.get("feed_tracking_copy"):
                items.append({**a, "feed_link": a["url"] + "?utm_source=rss&utm_medium=feed&utm_campaign=terkini",
                              "tracking": True})
        if o["feed_kind"] == "atom":
            write(f"{o['id']}/{o['feed']}", env.from_string(ATOM).render(o=o, items=items, base=BASE, updated=arts[0]["iso"]))
        else:
            write(f"{o['id']}/{o['feed']}", env.from_string(RSS).render(o=o, items=items, base=BASE, last=arts[0]["rfc822"]))
        if o.get("sitemap"):
            write(f"{o['id']}/{o['sitemap']}", env.from_string(SITEMAP).render(o=o, items=arts))

    write("index.html", env.from_string(ROOT_INDEX).render(outlets=OUTLETS, base=BASE))
    write("robots.txt", ROBOTS)
    return written


def history_pages() -> dict[str, tuple[str, datetime]]:
    """The month of history (``demo/history.py``) as pages: ``{site path: (HTML with the
    {{BASE}} placeholder, publication time)}``, paths ``<outlet>/arsip/YYYY/MM/DD/<slug>.html``.
    Not written under ``demo/site/``: ``demo/serve.py`` renders them on request, and
    :func:`write_history_warcs` archives them for ``mediamon import-warc``."""
    out: dict[str, tuple[str, datetime]] = {}
    hist = history_articles()
    for o in OUTLETS:
        arts = sorted((_prepare(a, o) for a in hist if a["outlet"] == o["id"]), key=lambda x: x["iso"], reverse=True)
        for a in arts:
            a["image_key"] = "logo"
            out[f"{o['id']}/{a['path']}.html"] = (_render_page(a, o, arts), _dt(a))
    return out


def write_history_warcs(out_dir: Path, base_url: str) -> list[Path]:
    """Write the history pages as WARC response records (one file per outlet,
    ``<out_dir>/<outlet>.warc.gz``), as if fetched from ``base_url`` 20 minutes after
    publication, so ``mediamon import-warc FILE --source OUTLET`` loads them through the normal
    extraction without the polite per-host delay of 250 fetches. Returns the files."""
    from datetime import timedelta, timezone
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    pages = history_pages()
    for o in OUTLETS:
        path = out_dir / f"{o['id']}.warc.gz"
        with path.open("wb") as fh:
            w = WARCWriter(fh, gzip=True)
            for rel, (page, when) in sorted(pages.items()):
                if not rel.startswith(o["id"] + "/"):
                    continue
                body = page.replace(BASE, base_url).encode("utf-8")
                fetched = (when + timedelta(minutes=20)).astimezone(timezone.utc)
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                   ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
                w.write_record(w.create_warc_record(
                    f"{base_url}/{rel}", "response", payload=BytesIO(body), http_headers=http,
                    warc_headers_dict={"WARC-Date": fetched.strftime("%Y-%m-%dT%H:%M:%SZ")}))
        files.append(path)
    return files


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Regenerate demo/site/, or write the history WARC files.")
    ap.add_argument("--history-warcs", metavar="DIR", help="write the month of history as WARC files into DIR instead")
    ap.add_argument("--base-url", default="http://127.0.0.1:8765", help="site base URL of the archived pages")
    args = ap.parse_args()
    if args.history_warcs:
        files = write_history_warcs(Path(args.history_warcs), args.base_url.rstrip("/"))
        print(f"wrote {len(files)} history WARC files ({len(history_pages())} pages) under {args.history_warcs}")
    else:
        files = build()
        print(f"wrote {len(files)} files under {SITE}")
