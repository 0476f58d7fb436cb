"""A month of history for the demo outlets: short articles on the 30 days before the demo day.

All text is original, assembled from the sentence templates below (fictional places, people and
figures), so ``make demo`` has trends to draw: a steady flow on the economy, on floods and on
Ukraine diplomacy, a quiet week for floods (2022-01-10 .. 01-16), a flood spike on 2022-01-20
(every outlet runs several flood stories), and Ukraine coverage building up towards the demo day.

``history_articles()`` returns article dicts in the shape of ``content.ARTICLES`` plus ``date``
(``YYYY-MM-DD``, WIB), with paths under ``arsip/``. ``demo/build_site.py`` renders them with the
outlets' templates into WARC files (``write_history_warcs``) that ``make demo`` imports through
the normal extraction (``mediamon import-warc``), and ``demo/serve.py`` serves the same pages.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

DEMO_DAY = date(2022, 2, 2)
HISTORY_DAYS = 30
FIRST_DAY = DEMO_DAY - timedelta(days=HISTORY_DAYS)
QUIET_FLOODS = [date(2022, 1, 10) + timedelta(days=i) for i in range(7)]
FLOOD_SPIKE = date(2022, 1, 20)

PLACES = ["Karawang", "Bekasi", "Demak", "Pekalongan", "Samarinda", "Banjarmasin", "Kudus", "Cirebon", "Sintang", "Pati"]
PEOPLE = ["Arif Setiawan", "Maya Lestari", "Budi Santoso", "Sari Wulandari", "Hendra Gunawan", "Nina Kartika"]

# (topic, language) -> (title templates, paragraph templates); {place}, {n}, {person}, {pct} filled in
TEMPLATES: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    ("banjir", "id"): (
        ["Banjir Rendam {n} Rumah di {place}", "Hujan Deras, Banjir dan Longsor Landa {place}",
         "Warga {place} Mengungsi Akibat Banjir"],
        ["Banjir merendam sedikitnya {n} rumah di {place} setelah hujan deras mengguyur sejak dini hari. "
         "Ketinggian air di beberapa titik mencapai satu meter dan memutus akses jalan antardesa.",
         "Kepala pelaksana badan penanggulangan bencana daerah, {person}, mengatakan petugas telah "
         "mengevakuasi warga lanjut usia dan anak-anak ke posko pengungsian di balai desa.",
         "Menurut {person}, tanggul sungai yang jebol sepanjang belasan meter menjadi penyebab utama "
         "banjir kali ini. Perbaikan darurat dilakukan dengan karung pasir sambil menunggu alat berat.",
         "Warga berharap pemerintah daerah segera memperbaiki saluran air yang tersumbat sampah agar "
         "banjir serupa tidak terulang setiap musim hujan."]),
    ("banjir", "en"): (
        ["Floods Swamp {n} Homes in {place}", "Heavy Rain Brings Floods and Landslides to {place}",
         "Residents of {place} Evacuated as Floodwater Rises"],
        ["Floods have inundated at least {n} homes in {place} after heavy rain fell through the night, "
         "with water reaching a metre deep in places and cutting roads between villages.",
         "The head of the regional disaster agency, {person}, said rescuers had moved elderly residents "
         "and children to shelters set up in the village hall.",
         "{person} said a breached river embankment was the main cause of the flooding, and that sandbags "
         "were being used for emergency repairs until heavy equipment arrives.",
         "Residents urged the local government to clear drainage channels blocked by rubbish so the floods "
         "do not return every rainy season."]),
    ("ekonomi", "id"): (
        ["Harga Beras di {place} Naik {pct} Persen", "Ekspor Daerah {place} Tumbuh {pct} Persen",
         "Pedagang {place} Keluhkan Kenaikan Harga Bahan Pokok"],
        ["Harga beras medium di pasar tradisional {place} naik {pct} persen dalam sepekan terakhir, "
         "menurut catatan dinas perdagangan setempat.",
         "Ekonom daerah {person} menilai kenaikan itu dipicu pasokan yang berkurang karena panen mundur, "
         "sementara permintaan tetap tinggi menjelang akhir bulan.",
         "Pemerintah daerah berencana menggelar operasi pasar untuk menahan laju inflasi dan menjaga daya "
         "beli warga berpenghasilan rendah.",
         "Para pedagang berharap harga kembali stabil setelah pasokan dari sentra produksi pulih."]),
    ("ekonomi", "en"): (
        ["Rice Prices in {place} Up {pct} Percent", "{place} Exports Grow {pct} Percent",
         "Traders in {place} Feel the Pinch of Rising Prices"],
        ["The price of medium-grade rice in traditional markets in {place} rose {pct} percent over the past "
         "week, according to the local trade office.",
         "Regional economist {person} said a delayed harvest had cut supply while demand stayed high, "
         "pushing inflation up in the province.",
         "The local government plans market operations to slow inflation and protect the purchasing power "
         "of low-income households.",
         "Traders said they expect prices to settle once supply from the main producing areas recovers."]),
    ("ukraine", "id"): (
        ["Diplomasi Soal Ukraina Berlanjut, Rusia dan AS Bertukar Pesan", "NATO dan Rusia Bahas Ketegangan di Ukraina"],
        ["Ketegangan di sekitar perbatasan Ukraina kembali menjadi sorotan setelah Rusia dan Amerika Serikat "
         "bertukar pesan diplomatik pekan ini.",
         "Pengamat hubungan internasional {person} menilai jalur dialog masih terbuka, meski kedua pihak "
         "sama-sama menolak mundur dari tuntutan masing-masing.",
         "Kementerian Luar Negeri Indonesia mengimbau semua pihak menahan diri dan mengedepankan penyelesaian "
         "damai sesuai hukum internasional.",
         "Warga negara Indonesia di Kyiv diminta tetap tenang dan memantau imbauan dari kedutaan besar."]),
    ("ukraine", "en"): (
        ["Ukraine Diplomacy Continues as Russia and US Trade Messages", "NATO and Russia Discuss Tensions over Ukraine"],
        ["Tensions around Ukraine's border were back in focus after Russia and the United States exchanged "
         "diplomatic messages this week.",
         "International relations analyst {person} said the door to dialogue remained open, although neither "
         "side was willing to drop its demands.",
         "Indonesia's foreign ministry urged restraint and a peaceful settlement in line with international law.",
         "Indonesian citizens in Kyiv were asked to stay calm and follow the embassy's advice."]),
    ("umum", "id"): (
        ["Taman Kota {place} Dibuka untuk Umum", "Festival Kuliner {place} Tarik Ribuan Pengunjung"],
        ["Pemerintah kota {place} membuka taman baru seluas dua hektare yang dilengkapi jalur lari dan area "
         "bermain anak.",
         "Wali kota {place} mengatakan pembangunan taman melibatkan komunitas warga sejak tahap desain, "
         "kata {person} dari dinas pertamanan.",
         "Pengunjung menyambut baik fasilitas itu dan berharap kebersihannya terjaga.",
         "Taman tersebut buka setiap hari mulai pukul enam pagi hingga sembilan malam."]),
    ("umum", "en"): (
        ["New City Park Opens in {place}", "Food Festival Draws Thousands to {place}"],
        ["The city of {place} has opened a new two-hectare park with a running track and a children's "
         "playground.",
         "Officials said residents were involved from the design stage, according to {person} of the parks office.",
         "Visitors welcomed the facility and asked that it be kept clean.",
         "The park is open daily from six in the morning until nine at night."]),
}

SECTIONS = {
    "kabar-nusantara": {"banjir": "Daerah", "ekonomi": "Ekonomi", "ukraine": "Internasional", "umum": "Nasional"},
    "warta-harian": {"banjir": "Regional", "ekonomi": "Bisnis", "ukraine": "Dunia", "umum": "Berita"},
    "jakarta-daily-ledger": {"banjir": "Indonesia", "ekonomi": "Business", "ukraine": "World", "umum": "Lifestyle"},
}
LANG = {"kabar-nusantara": "id", "warta-harian": "id", "jakarta-daily-ledger": "en"}


def _topics_of_day(outlet: str, day: date, rng: random.Random) -> list[str]:
    """Topics of the articles ``outlet`` publishes on ``day``."""
    out = ["ekonomi", "umum"]
    if day not in QUIET_FLOODS:
        out.append("banjir")
    if day == FLOOD_SPIKE:
        out += ["banjir"] * 4
    # Ukraine: every few days at first, daily in the last week before the demo day
    if (DEMO_DAY - day).days <= 7 or rng.random() < 0.3:
        out.append("ukraine")
    if rng.random() < 0.4:
        out.append("ekonomi")
    return out


def history_articles() -> list[dict]:
    """The history articles (deterministic): dicts with the keys of ``content.ARTICLES`` used by the
    templates, plus ``date``. About 250 articles over 30 days and the 3 outlets."""
    rng = random.Random(20220202)
    arts: list[dict] = []
    for i in range(HISTORY_DAYS):
        day = FIRST_DAY + timedelta(days=i)
        for outlet, lang in LANG.items():
            for k, topic in enumerate(_topics_of_day(outlet, day, rng)):
                titles, paras = TEMPLATES[(topic, lang)]
                fill = {"place": rng.choice(PLACES), "n": rng.randrange(40, 900), "person": rng.choice(PEOPLE),
                        "pct": rng.randrange(2, 15)}
                title = rng.choice(titles).format(**fill)
                slug = "-".join(w for w in "".join(c if c.isalnum() else " " for c in title.lower()).split())
                hh, mm = 7 + (k * 2 + rng.randrange(0, 2)) % 13, rng.choice([0, 10, 25, 40, 55])
                arts.append({
                    "outlet": outlet, "key": f"h-{outlet[:2]}-{day:%Y%m%d}-{k}", "date": day.isoformat(),
                    "section": SECTIONS[outlet][topic], "path": f"arsip/{day:%Y/%m/%d}/{slug}-{k}",
                    "title": title, "time": f"{hh:02d}:{mm:02d}", "author": rng.choice(PEOPLE), "editor": rng.choice(PEOPLE),
                    "credit": None, "image_caption": f"Ilustrasi: {fill['place']}." if lang == "id" else f"Illustration: {fill['place']}.",
                    "tags": [SECTIONS[outlet][topic], fill["place"]],
                    "paras": [p.format(**fill) for p in paras], "shares": rng.randrange(10, 3000),
                })
    return arts
