"""The extraction rules as data: regexes and label tables, Indonesian and English.

Line rules (applied by :func:`mediamon.extract.lines.clean_lines`): related-link teasers,
credit labels, promotion/newsletter lines, pagers, widget labels, counters, copyright, ad and
photo-credit lines. Page-type cues (used by :mod:`mediamon.extract.pagetype`): bot walls,
paywalls, listing URLs/titles, schema.org types. Widget class/id tokens pruned before
extraction (:mod:`mediamon.extract.htmlprep`) and the people filter
(:mod:`mediamon.extract.metadata`). No functions, no mediamon imports.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------
# Line rules
# --------------------------------------------------------------------------------------------

_DASH = r"[:\-–—|»>•]"
# Related-link teasers: a label then a headline (or the bare label).
TEASER_RE = re.compile(
    r"^\s*[\[(]?\s*(?:baca|simak|lihat|tonton|saksikan|cek|klik)\s+(?:juga|pula|selengkapnya|berita|artikel|video|di\s?sini)\b"
    r"|^\s*[\[(]?\s*(?:baca|simak|lihat)\s*" + _DASH +
    r"|^\s*(?:artikel|berita|topik|video)\s+(?:terkait|lainnya|pilihan|menarik|rekomendasi)\s*(?:" + _DASH + r"|$)"
    r"|^\s*(?:pilihan\s+(?:editor|redaksi)|rekomendasi(?:\s+editor)?|artikel\s+terkait|berita\s+terkait|baca\s+lainnya)\s*:\s*\S"
    r"|^\s*(?:read|see|also\s+read|watch|listen)\s+(?:also|more|next|this)?\s*" + _DASH +
    r"|^\s*[\[(]?\s*(?:read\s+(?:also|more)|also\s+read|see\s+also|you\s+may\s+also\s+like|don'?t\s+miss|most\s+read(?:\s+in\s+[\w ]{1,30})?|more\s+stories|related(?:\s+(?:articles?|stories|content|coverage|news|posts?))?|recommended(?:\s+for\s+you)?|more\s+(?:on|from)\s+[\w ]{1,30})\s*(?:" + _DASH + r"|$)",
    re.I,
)

CREDIT_LABELS = {
    "editor": "editor", "penyunting": "editor", "redaktur": "editor", "editing by": "editor", "edited by": "editor",
    "penulis": "reporter", "pewarta": "reporter", "reporter": "reporter", "wartawan": "reporter",
    "kontributor": "reporter", "oleh": "reporter", "by": "reporter", "written by": "reporter",
    "reporting by": "reporter", "laporan": "reporter", "laporan wartawan": "reporter", "penulis artikel": "reporter",
    "sumber": "source", "source": "source", "sumber berita": "source",
    "foto": "photo", "fotografer": "photo", "photo": "photo", "photographer": "photo", "pewarta foto": "photo",
    "videografer": "video", "video": "video", "penerjemah": "translator", "alih bahasa": "translator",
    "translator": "translator", "translated by": "translator", "kameramen": "video",
}
CREDIT_RE = re.compile(
    r"^\s*[\[(]?\s*(" + "|".join(sorted((re.escape(k) for k in CREDIT_LABELS), key=len, reverse=True)) + r")\s*[:|/]\s*(.*?)\s*[\])]?\s*$",
    re.I,
)
# Credit labels inside a line (for lines with several credits).
CREDIT_INLINE_RE = re.compile(
    r"(?:^|(?<=[\s|,;(\[]))(" + "|".join(sorted((re.escape(k) for k in CREDIT_LABELS if k not in ("by", "oleh", "video", "foto", "photo", "source")),
                                            key=len, reverse=True)) + r"|oleh|foto|photo|video|source)\s*[:|/]\s*",
    re.I,
)
# "Laporan Wartawan Tribunnews.com, Nama" (Tribun-style reporter credit)
LAPORAN_RE = re.compile(r"^\s*laporan\s+(?:wartawan|reporter|koresponden|kontributor|jurnalis)\s+[\w.\-]+(?:\s+[\w.\-]+)?\s*,\s*([^,]{3,60}?)\s*$", re.I)
# Tag lists in the body: "Tag: a, b, c" / "TAGS: x"
TAGLINE_RE = re.compile(r"^\s*(?:tags?|topik|topics?|kata\s+kunci|keywords?)\s*:\s*\S", re.I)
# Label alone on its line (the value is on the next line), e.g. "Oleh :" / "Editor".
CREDIT_LABEL_ONLY_RE = re.compile(
    r"^\s*(" + "|".join(sorted((re.escape(k) for k in CREDIT_LABELS), key=len, reverse=True)) + r")\s*:?\s*$", re.I
)
# Reuters/AP style trailing credits: "(Reporting by X; Editing by Y)".
WIRE_CREDIT_RE = re.compile(r"^\s*\(?\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.*$", re.I)

# Promotion / newsletter / social / app lines (Indonesian and English).
PROMO_RE = re.compile(
    r"^\s*(?:follow|ikuti|gabung(?:lah)?|join|subscribe|sign\s+up|langganan|berlangganan|download|unduh|dapatkan|simak\s+(?:breaking|berita|update|informasi|video)|"
    r"get\s+the\s+(?:latest|day'?s|best)|like\s+this\s+(?:story|article)|if\s+you\s+(?:enjoyed|liked)\s+this|have\s+a\s+(?:news\s+)?tip|reach\s+the\s+reporters?|"
    r"email\s+\S+(?:\s+\S+)?\s+at\s|contact\s+(?:the\s+)?(?:reporter|writer|author)|click\s+(?:here|di\s*sini)|klik\s+(?:di\s*sini|link)|tempo\s+de\s+leitura|"
    r"filed\s+under|order\s+reprints|print\s+(?:article|this)|this\s+copy\s+is\s+for\s+your\s+personal|updated\s+(?:at|on)\s+\d|listen\s+to\s|"
    r"\[?gambas\s*:|(?:artikel|konten|berita)\s+ini\s+(?:telah|sudah)\s+(?:tayang|terbit|dimuat)|"
    r"saksikan\s+(?:video|juga|live)|tonton\s+(?:video|juga)|"
    r"baca\s+berita\s+(?:lainnya|menarik|terbaru)|cek\s+berita|update\s+berita|informasi\s+lebih\s+lanjut\s+klik)\b",
    re.I,
)
PROMO_ANY_RE = re.compile(
    r"\b(?:(?:follow|ikuti|join|gabung|subscribe|like|share|bagikan|download|unduh|kunjungi|pantau|simak)\b.{0,60}\b(?:on|di|via|lewat)\s+(?:twitter|facebook|instagram|google\s+news|whatsapp(?:\s+channel)?|telegram|youtube|tiktok|linkedin)|"
    r"(?:newsletter|buletin)s?\b.{0,40}\b(?:inbox|subscrib|sign)|delivered\s+to\s+your\s+inbox|contributed\s+(?:to\s+this\s+report|reporting)|"
    r"turut\s+berkontribusi|telah\s+tayang\s+di)\b"
    r"|\[(?:insight|video|news|reaction|warning|pics|poll|latest|update|live)\]\s*\|?\s*$",
    re.I,
)
CONTRIB_RE = re.compile(r"^(.{3,200}?)\s+(?:contributed\s+(?:to\s+this\s+report|reporting)|turut\s+berkontribusi)", re.I)
INITIALS_RE = re.compile(r"\(?\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})+\s*\)?")  # editorial initials "(kpl/pur/tch)"
BULLET_RE = re.compile(r"^\s*[-–•*·►▶»]\s+\S")

COPYRIGHT_RE = re.compile(
    r"^\s*(?:©|\(c\)|copyright\b|hak\s+cipta\b)|all\s+rights\s+reserved|hak\s+cipta\s+dilindungi|dilarang\s+(?:mengutip|keras\s+mengambil)"
    r"|^\s*our\s+standards\s*:.{0,60}trust\s+principles",
    re.I,
)
PAGER_RE = re.compile(
    r"^\s*(?:halaman|page|hal\.?)\s*:?\s*(?:\d+\s*(?:dari|of|/)\s*\d+)?[\s\d»«<>|…\.\-]*(?:selanjutnya|berikutnya|next|sebelumnya|previous|all|semua)?\s*$"
    r"|^\s*(?:halaman|page)\s+(?:selanjutnya|berikutnya|sebelumnya|next|previous)\b.{0,60}$"
    r"|^\s*(?:\d+\s*){2,}(?:next|selanjutnya|berikutnya|»|>)?\s*$"
    r"|^\s*(?:selanjutnya|berikutnya|sebelumnya|next|previous|prev|tampilkan semua|show all|lihat semua)\s*[»>]*\s*$",
    re.I,
)
WIDGET_LABELS = {
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
COUNTER_RE = re.compile(
    r"^\s*[\-–•]?\s*(?:(?:like|dislike|share|shares|suka|komentar|comments?|views?|dilihat|credits|bagikan|tweet|pin)\s*[:(]?\s*[\d.,]+[kKmM]?\s*\)?"
    r"|[\d.,]+[kKmM]?\s*(?:likes?|shares?|comments?|views?|komentar|kali dilihat|dibaca|pembaca|suka))\s*$",
    re.I,
)
NUMBER_ONLY_RE = re.compile(r"^[\s\d.,:#\-–()]*$")
EMAIL_LINE_RE = re.compile(r"^.{0,60}(?:\[at\]|\(at\)|@)\S+\.\w{2,}.{0,30}$", re.I)
AD_LINE_RE = re.compile(
    r"^\s*(?:informasi\s+pemasangan\s+iklan|hubungi\s*:|redaksi\s*:|advertisement|iklan|sponsored|scroll\s+to\s+(?:continue|resume)|"
    r"scroll\s+(?:ke\s+bawah\s+)?untuk\s+(?:melanjutkan|lanjut|membaca)|(?:judul|link|url)\s+artikel\s*:)",
    re.I,
)
# Photo credit at the end of a caption line: "(ANTARA FOTO/Name)", "(REUTERS/Name)", "/Pexels", "Foto: X".
PHOTO_CREDIT_RE = re.compile(
    r"(?:\((?:antara\s*foto|foto|photo|reuters|ap\s*photo|afp|epa|getty\s*images|ist|istimewa|dok\.?|dokumentasi)\s*[/:]?[^()]{0,80}\)\s*\.?\s*$"
    r"|\((?-i:\s*[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3})\s*/\s*[A-Za-z][\w.\-]*(?:\s+[A-Za-z][\w.\-]*){0,3}\s*\)\s*\.?\s*$"
    r"|\s/\s?(?:pexels|unsplash|pixabay|freepik|shutterstock|istockphoto|getty\s*images|antara|reuters)\s*$"
    r"|\b(?:foto|photo)\s*:\s*[^.]{2,60}$)",
    re.I,
)
# Dateline opening a lead paragraph (never a caption): "JAKARTA -", "JAKARTA, KOMPAS.com -",
# "Jakarta (ANTARA) -", "KUALA LUMPUR (Reuters) -".
LEAD_DATELINE_RE = re.compile(
    r"^(?:[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}(?:\s*,\s*[\w.]+){0,2}\s*(?:\([^()]{1,40}\))?"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s*\([^()]{1,40}\))\s*[-–—]+\s+\S"
)

# --------------------------------------------------------------------------------------------
# Page-type cues
# --------------------------------------------------------------------------------------------

BOTWALL_RE = re.compile(
    r"checking (?:if the site connection is secure|your browser)|just a moment\.\.\.|attention required! \| cloudflare"
    r"|verify(?:ing)? you are (?:a )?human|are you a robot|please enable (?:javascript and )?cookies|captcha"
    r"|ddos protection by|access denied|pardon our interruption|request unsuccessful\. incapsula"
    r"|unusual traffic from your (?:computer )?network|press (?:&|and) hold|bot verification|memeriksa browser anda"
    r"|verifikasi bahwa anda (?:adalah )?manusia",
)  # lowercase patterns, matched against lowercased text (much faster than re.I on long pages)
PAYWALL_RE = re.compile(
    r"subscribe (?:now )?to (?:continue reading|read|unlock|keep reading)|subscribers? only|for subscribers"
    r"|to continue reading,? (?:please )?(?:subscribe|log in|sign in)|already a subscriber|this (?:article|content) is for (?:paid )?(?:subscribers|members)"
    r"|berlangganan untuk (?:membaca|melanjutkan)|khusus (?:pelanggan|member|anggota)|konten (?:ini )?(?:khusus|eksklusif|premium)"
    r"|silakan berlangganan|baca selengkapnya dengan berlangganan|artikel ini khusus untuk pelanggan|masuk untuk membaca"
    r"|unlock (?:this|the full|full) (?:article|story|access)|to read the full (?:article|story),? (?:subscribe|sign in|log in)"
    r"|you(?:'ve| have) reached your (?:free )?(?:article|monthly) limit"
    r"|réservé aux abonnés|abonnez-vous pour (?:lire|continuer)|nur für abonnenten|abonnieren,? um weiterzulesen"
    r"|exclusivo para (?:suscriptores|assinantes)|suscríbete para (?:leer|seguir leyendo)|assine para (?:ler|continuar)"
    r"|riservato agli abbonati",
)  # lowercase, see BOTWALL_RE
# Query keys that name one post/article on a root or index.php URL (WordPress ``/?p=123``,
# ``/?page_id=7``, ``/index.php?id=42``, ``/?story=...``): such a URL is not the home page.
ARTICLE_ID_QUERY_KEYS = {"p", "page_id", "id", "story", "story_id", "storyid", "article", "article_id", "articleid",
                         "news_id", "newsid", "post", "post_id", "postid", "itemid", "aid", "nid", "berita", "artikel"}
LISTING_URL_RE = re.compile(
    r"/(?:tag|tags|topic|topik|category|kategori|kanal|rubrik|indeks|index|arsip|archive|search|cari|section|author|penulis|page/\d+)(?:/|$|\?)"
    r"|^/?$|^/(?:index|home|beranda|news|berita|terkini|terpopuler|populer)(?:\.\w+)?/?$",
    re.I,
)
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
                 "techarticle", "scholarlyarticle", "report", "socialmediaposting", "posting", "webpage_article"}
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}

# Titles of index/listing pages (Indonesian and English), e.g. "Indeks Berita", "Berita Terkini
# Hari Ini", "Latest News", "Tag: banjir", "Arsip": such pages often carry og:type=article.
LISTING_TITLE_RE = re.compile(
    r"^\s*(?:indeks(?:\s+berita)?|index|arsip(?:\s+berita)?|archives?|berita\s+(?:terkini|terbaru|hari\s+ini)|"
    r"terpopuler|terkini|beranda|home(?:page)?|latest\s+news|top\s+stories|most\s+popular|"
    r"tag|tags|topik|topic|kategori|category|kanal|rubrik|section)\s*(?:[-|:\u2013\u2014\u00b7\u00bb]|$)",
    re.I,
)

# Generic related-content / share widgets pruned before extraction (class/id tokens).
PRUNE_TOKENS = (
    "baca-juga", "bacajuga", "baca_juga", "read-also", "readalso", "related-post", "related-article", "related-news",
    "relatedpost", "related_posts", "artikel-terkait", "berita-terkait", "beritaterkait", "terpopuler",
    "most-popular", "share-button", "sharebutton", "social-share", "share-bar", "sharethis", "newsletter-signup",
)
PRUNE_RE = re.compile("|".join(re.escape(t) for t in PRUNE_TOKENS))
PRUNE_TAGS = {"div", "section", "aside", "ul", "p", "span", "table"}

# --------------------------------------------------------------------------------------------
# People filter (bylines and JSON-LD authors that are not people)
# --------------------------------------------------------------------------------------------

NOT_PERSON_RE = re.compile(
    r"\b(?:redaksi|tim|team|staff|desk|admin|administrator|editor|editorial|newsroom|contributor|kontributor|"
    r"reporter|wartawan|pewarta|penulis|humas|rilis|press release|news|berita|media|online|com|co\.id|"
    r"agency|wire|correspondent|koresponden|foto|photo|video|tv)\b|https?://|@|\d",
    re.I,
)
# Platform names and placeholders that byline widgets put where a name belongs.
PLATFORMS = {"facebook", "twitter", "instagram", "google", "youtube", "whatsapp", "tiktok", "linkedin", "telegram",
             "line", "pinterest", "reddit", "email", "share", "bagikan", "admin", "anonymous", "guest"}
