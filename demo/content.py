"""Article content of the demo news site (all text original, written for mediamon's demo).

Every outlet, person-as-author and editor here is fictional. Articles about real public events
(the Russia–US exchange over Ukraine on 1–2 February 2022) are our own wording. All articles
are dated on the demo day, 2022-02-02, in WIB (UTC+07:00), between 07:30 and 21:00 WIB so the
UTC date is the same day.

Used by ``demo/build_site.py`` to (re)generate the static files under ``demo/site/``.
"""

DAY = "2022-02-02"

OUTLETS = [
    {
        "id": "kabar-nusantara",
        "name": "Kabar Nusantara",
        "language": "id",
        "tagline": "Berita Terkini dan Terpercaya dari Seluruh Nusantara",
        "feed": "rss.xml",
        "feed_kind": "rss",
        "template": "kn",
        "sections": ["Nasional", "Internasional", "Ekonomi", "Daerah", "Olahraga", "Tekno"],
    },
    {
        "id": "warta-harian",
        "name": "Warta Harian",
        "language": "id",
        "tagline": "Tajam, Berimbang, Setiap Hari",
        "feed": "atom.xml",
        "feed_kind": "atom",
        "template": "wh",
        "sections": ["Berita", "Dunia", "Bisnis", "Regional", "Gaya Hidup"],
    },
    {
        "id": "jakarta-daily-ledger",
        "name": "Jakarta Daily Ledger",
        "language": "en",
        "tagline": "Indonesia's independent English-language daily",
        "feed": "rss.xml",
        "feed_kind": "rss",
        "sitemap": "sitemap.xml",
        "template": "jdl",
        "sections": ["Indonesia", "World", "Business", "Opinion", "Lifestyle"],
    },
]

# ---------------------------------------------------------------------------------------
# The seed story: Indonesian version of the AP report of 2 Feb 2022 (our own translation-style
# text). Kabar Nusantara carries it in full; Warta Harian carries a syndicated copy with a
# different intro, one paragraph dropped and small edits.
# ---------------------------------------------------------------------------------------
SEED_PARAS = [
    "MOSKOW, Kabar Nusantara - Rusia dan Amerika Serikat kembali saling melontarkan argumen soal Ukraina, "
    "Selasa (1/2/2022), setelah Menteri Luar Negeri Rusia Sergei Lavrov dan Menteri Luar Negeri AS Antony "
    "Blinken berbicara melalui telepon, sehari setelah kedua negara bersitegang di Dewan Keamanan PBB.",
    "Dalam percakapan itu, Lavrov menegaskan bahwa Moskow tidak akan membiarkan tuntutan keamanannya diabaikan "
    "begitu saja. Kementerian Luar Negeri Rusia menyebut Lavrov meminta Washington memberikan jawaban yang jelas "
    "atas usulan Rusia agar NATO tidak lagi memperluas keanggotaannya ke arah timur.",
    "Sementara itu, Departemen Luar Negeri AS mengatakan Blinken mendesak Rusia segera meredakan ketegangan dan "
    "menarik pasukannya dari sekitar perbatasan Ukraina. Menurut seorang pejabat AS, Blinken menegaskan bahwa "
    "setiap serangan baru ke Ukraina akan dibalas dengan konsekuensi yang cepat dan berat.",
    "Rusia diperkirakan telah mengerahkan lebih dari 100.000 tentara di dekat perbatasan Ukraina. Moskow membantah "
    "berencana menyerang negara tetangganya itu, tetapi menuntut jaminan bahwa Ukraina tidak akan pernah "
    "bergabung dengan NATO serta penarikan pasukan aliansi tersebut dari Eropa Timur.",
    "Presiden Rusia Vladimir Putin, dalam komentar publik pertamanya soal krisis ini dalam lebih dari sebulan, "
    "menuduh AS dan sekutunya mengabaikan tuntutan utama Rusia. Putin mengatakan Washington berusaha menyeret "
    "Rusia ke dalam konflik bersenjata, namun ia juga menyatakan Moskow masih terbuka untuk berdialog.",
    "Di Dewan Keamanan PBB pada Senin, Duta Besar AS untuk PBB Linda Thomas-Greenfield mengatakan penumpukan "
    "pasukan Rusia merupakan ancaman terbesar bagi keamanan Eropa dalam beberapa dekade. Duta Besar Rusia "
    "Vassily Nebenzia membalas dengan menuduh AS sengaja memicu histeria dan mencampuri urusan negara lain.",
    "Nebenzia juga menyebut tudingan bahwa Rusia tengah bersiap menyerang Ukraina sama sekali tidak berdasar. "
    "Ia menegaskan bahwa pengerahan pasukan di dalam wilayah Rusia sendiri adalah hak kedaulatan Moskow dan "
    "tidak perlu dijelaskan kepada siapa pun.",
    "Meski saling tuding, kedua pihak sepakat untuk tetap membuka jalur komunikasi. Pejabat AS mengatakan "
    "Washington siap melanjutkan diplomasi bersama sekutu-sekutu Eropa, sementara Lavrov menyebut Rusia akan "
    "mempelajari tanggapan tertulis AS dengan saksama sebelum menentukan langkah berikutnya.",
]

_SYND = list(SEED_PARAS)
_SYND[0] = (
    "NEW YORK, Warta Harian - Ketegangan diplomatik antara Moskow dan Washington terkait Ukraina belum mereda. "
    "Menteri Luar Negeri Rusia Sergei Lavrov dan Menteri Luar Negeri AS Antony Blinken berbicara melalui telepon "
    "pada Selasa (1/2/2022), sehari setelah kedua negara bersitegang di Dewan Keamanan PBB."
)
_SYND[5] = _SYND[5].replace("pada Senin,", "pada Senin (31/1/2022),")
del _SYND[6]  # paragraph about Nebenzia's denial dropped in the syndicated copy
SYNDICATED_PARAS = _SYND

EN_AP_PARAS = [
    "UNITED NATIONS (AP) — Russia and the United States traded accusations over Ukraine again on Tuesday as "
    "Foreign Minister Sergey Lavrov and Secretary of State Antony Blinken spoke by phone, a day after the two "
    "powers clashed in an unusually heated session of the U.N. Security Council.",
    "Lavrov told Blinken that Moscow would not allow its security demands to be brushed aside, according to the "
    "Russian Foreign Ministry, and pressed Washington for a clear answer on halting NATO's eastward expansion.",
    "The State Department said Blinken urged Russia to de-escalate and pull back the troops massed near Ukraine, "
    "warning that any new incursion would be met with swift and severe consequences.",
    "Russia is estimated to have more than 100,000 troops near the Ukrainian border. Moscow denies planning an "
    "invasion but wants guarantees that Ukraine will never join NATO and that the alliance will roll back its "
    "deployments in Eastern Europe.",
    "President Vladimir Putin, speaking publicly about the standoff for the first time in more than a month, said "
    "the West had ignored Russia's key concerns and accused Washington of trying to lure Moscow into a war, while "
    "saying he still hoped talks would continue.",
    "At Monday's Security Council meeting, U.S. Ambassador Linda Thomas-Greenfield called the buildup the largest "
    "threat to European security in decades. Russia's Vassily Nebenzia shot back that the U.S. was whipping up "
    "hysteria and meddling in other countries' affairs.",
    "Despite the sharp words, both sides said they would keep talking, and Lavrov said Moscow was studying the "
    "written U.S. response before deciding on its next steps.",
]

ARTICLES = [
    # ---------------- Kabar Nusantara (id) ----------------
    {
        "outlet": "kabar-nusantara",
        "key": "kn-seed",
        "section": "Internasional",
        "path": "internasional/2022/02/02/rusia-dan-as-saling-serang-argumen-soal-ukraina-di-pbb",
        "title": "Rusia dan AS Saling Serang Argumen soal Ukraina di PBB, Lavrov-Blinken Bicara Lewat Telepon",
        "time": "12:15",
        "author": "Rina Pramesti",
        "editor": "Dimas Hartanto",
        "credit": "APNews",
        "image_caption": "Ilustrasi bendera Rusia dan Amerika Serikat. /Pexels",
        "tags": ["Rusia", "Amerika Serikat", "Ukraina", "PBB", "NATO"],
        "paras": SEED_PARAS,
        "baca_juga_after": [1, 4],
        "pager": True,
        "shares": 1245,
    },
    {
        "outlet": "kabar-nusantara",
        "key": "kn-banjir",
        "section": "Daerah",
        "path": "daerah/2022/02/02/banjir-rendam-ratusan-rumah-di-bekasi-warga-mengungsi",
        "title": "Banjir Rendam Ratusan Rumah di Bekasi, Warga Terpaksa Mengungsi",
        "time": "08:40",
        "author": "Agus Setiawan",
        "editor": "Dimas Hartanto",
        "credit": None,
        "image_caption": "Warga melintasi genangan banjir di permukiman. /Kabar Nusantara/Agus Setiawan",
        "tags": ["banjir", "Bekasi", "cuaca ekstrem"],
        "paras": [
            "BEKASI, Kabar Nusantara - Banjir kembali merendam ratusan rumah di sejumlah perumahan di Kabupaten Bekasi "
            "setelah hujan deras mengguyur sejak Selasa malam. Ketinggian air di beberapa titik mencapai satu meter.",
            "Warga mengaku lelah dan kecewa karena banjir serupa terus berulang setiap musim hujan. Banyak perabot "
            "rumah tangga rusak, sementara sejumlah warga lanjut usia harus dievakuasi menggunakan perahu karet.",
            "Badan Penanggulangan Bencana Daerah (BPBD) mencatat sedikitnya 640 jiwa terpaksa mengungsi ke masjid dan "
            "balai desa. Petugas kesulitan menjangkau sebagian lokasi karena arus air yang deras.",
            "\u201cSudah tiga kali tahun ini rumah kami kebanjiran. Kerugiannya besar, kami sangat khawatir anak-anak "
            "jatuh sakit,\u201d kata Sumarni, seorang warga yang mengungsi bersama keluarganya.",
            "BPBD mengimbau warga di bantaran sungai tetap waspada karena cuaca buruk diperkirakan masih berlangsung "
            "hingga akhir pekan.",
        ],
        "baca_juga_after": [2],
        "shares": 312,
    },
    {
        "outlet": "kabar-nusantara",
        "key": "kn-ekspor",
        "section": "Ekonomi",
        "path": "ekonomi/2022/02/02/ekspor-indonesia-cetak-rekor-neraca-perdagangan-kembali-surplus",
        "alias_paths": ["berita/2022/02/02/ekspor-indonesia-cetak-rekor-neraca-perdagangan-kembali-surplus"],
        "title": "Ekspor Indonesia Cetak Rekor, Neraca Perdagangan Kembali Surplus",
        "time": "10:05",
        "author": "Yohana Siregar",
        "editor": "Bambang Wicaksono",
        "credit": None,
        "image_caption": "Aktivitas bongkar muat peti kemas di pelabuhan. /Pexels",
        "tags": ["ekspor", "neraca perdagangan", "ekonomi"],
        "paras": [
            "JAKARTA, Kabar Nusantara - Kinerja ekspor Indonesia sepanjang 2021 mencetak rekor tertinggi dalam sejarah. "
            "Neraca perdagangan juga kembali mencatat surplus yang sangat baik selama lebih dari satu setengah tahun berturut-turut.",
            "Para ekonom menilai capaian ini sebagai kabar gembira bagi pemulihan ekonomi nasional. Kenaikan harga "
            "komoditas seperti batu bara dan minyak sawit mentah ikut mendorong pertumbuhan ekspor yang kuat.",
            "\u201cIni hasil yang sangat positif. Surplus yang stabil membantu memperkuat rupiah dan menjaga kepercayaan "
            "investor,\u201d ujar ekonom Lestari Wibowo.",
            "Pemerintah optimistis tren positif ini dapat berlanjut pada 2022 seiring membaiknya permintaan global dan "
            "keberhasilan program hilirisasi industri.",
        ],
        "baca_juga_after": [1],
        "shares": 587,
    },
    {
        "outlet": "kabar-nusantara",
        "key": "kn-ciliwung",
        "section": "Nasional",
        "path": "nasional/2022/02/02/normalisasi-ciliwung-dipercepat-warga-sambut-baik",
        "title": "Normalisasi Ciliwung Dipercepat, Warga Sambut Baik Upaya Cegah Banjir",
        "time": "15:30",
        "author": "Agus Setiawan",
        "editor": "Bambang Wicaksono",
        "credit": None,
        "image_caption": "Alat berat mengeruk endapan di aliran sungai. /Kabar Nusantara",
        "tags": ["banjir", "Ciliwung", "Jakarta"],
        "paras": [
            "JAKARTA, Kabar Nusantara - Pemerintah mempercepat normalisasi Sungai Ciliwung untuk mengurangi risiko banjir "
            "di Jakarta. Pengerukan dan pembangunan tanggul di sejumlah ruas ditargetkan rampung tahun ini.",
            "Warga di bantaran sungai menyambut baik langkah tersebut. Mereka berharap banjir yang kerap melanda "
            "kawasan mereka dapat berkurang secara signifikan.",
            "\u201cKami senang akhirnya ada kemajuan nyata. Tahun lalu air cepat surut setelah sebagian tanggul selesai "
            "dibangun,\u201d kata Rahmat, ketua RT di Kampung Melayu.",
            "Dinas terkait menyebut kolaborasi dengan warga berjalan lancar dan proses pembebasan lahan kini jauh lebih baik.",
        ],
        "baca_juga_after": [],
        "shares": 204,
        # listed in the feed a second time with tracking parameters (same canonical URL)
        "feed_tracking_copy": True,
    },
    {
        "outlet": "kabar-nusantara",
        "key": "kn-timnas",
        "section": "Olahraga",
        "path": "olahraga/2022/02/02/timnas-putri-tampil-percaya-diri-jelang-laga-penentuan",
        "title": "Timnas Putri Tampil Percaya Diri Jelang Laga Penentuan",
        "time": "19:20",
        "author": "Fajar Nugroho",
        "editor": "Dimas Hartanto",
        "credit": None,
        "image_caption": "Ilustrasi bola sepak di lapangan. /Pexels",
        "tags": ["sepak bola", "timnas putri"],
        "paras": [
            "JAKARTA, Kabar Nusantara - Tim nasional sepak bola putri Indonesia menjalani latihan terakhir dengan "
            "semangat tinggi menjelang laga penentuan di turnamen regional akhir pekan ini.",
            "Pelatih kepala menyebut kondisi fisik pemain dalam keadaan baik dan suasana tim sangat kompak.",
            "\u201cKami siap memberikan yang terbaik untuk Indonesia,\u201d kata kapten tim usai latihan.",
        ],
        "baca_juga_after": [],
        "shares": 98,
    },
    # ---------------- Warta Harian (id) ----------------
    {
        "outlet": "warta-harian",
        "key": "wh-seed",
        "section": "Dunia",
        "path": "dunia/2022/02/02/lavrov-dan-blinken-bicara-via-telepon-ketegangan-soal-ukraina-belum-reda",
        "title": "Lavrov dan Blinken Bicara via Telepon, Ketegangan Rusia-AS soal Ukraina Belum Reda",
        "time": "13:40",
        "author": "Tim Warta Harian",
        "editor": "Sari Kusumawardani",
        "credit": "APNews",
        "image_caption": "Ilustrasi gedung Markas Besar PBB di New York. /Pexels",
        "tags": ["Rusia", "AS", "Ukraina", "diplomasi"],
        "paras": SYNDICATED_PARAS,
        "baca_juga_after": [2],
        "pager": True,
        "shares": 860,
    },
    {
        "outlet": "warta-harian",
        "key": "wh-garut",
        "section": "Regional",
        "path": "regional/2022/02/02/banjir-dan-longsor-terjang-garut-puluhan-rumah-rusak",
        "title": "Banjir dan Longsor Terjang Garut, Puluhan Rumah Rusak Berat",
        "time": "09:15",
        "author": "Deden Ramdani",
        "editor": "Sari Kusumawardani",
        "credit": None,
        "image_caption": "Material longsor menutup akses jalan desa. /Warta Harian/Deden Ramdani",
        "tags": ["banjir", "longsor", "Garut", "bencana"],
        "paras": [
            "GARUT, Warta Harian - Banjir bandang dan tanah longsor menerjang sejumlah desa di Kabupaten Garut, Jawa Barat, "
            "setelah hujan lebat turun selama berjam-jam. Puluhan rumah rusak berat dan akses jalan terputus.",
            "Dua warga dilaporkan luka-luka tertimbun material longsor, sementara ratusan lainnya terpaksa mengungsi "
            "dalam kondisi serba kekurangan.",
            "\u201cKami kehilangan semuanya. Sawah rusak, ternak hanyut, dan sekarang kami tidak tahu harus tinggal di mana,\u201d "
            "kata Ujang, warga yang rumahnya hancur diterjang arus.",
            "Tim SAR gabungan masih kesulitan menembus lokasi terdampak karena jalan tertutup lumpur dan pohon tumbang. "
            "Warga mengeluhkan bantuan logistik yang lambat datang.",
        ],
        "baca_juga_after": [1],
        "shares": 441,
    },
    {
        "outlet": "warta-harian",
        "key": "wh-migor",
        "section": "Bisnis",
        "path": "bisnis/2022/02/02/harga-minyak-goreng-masih-mahal-pedagang-mengeluh",
        "title": "Harga Minyak Goreng Masih Mahal, Pedagang dan Pembeli Mengeluh",
        "time": "11:00",
        "author": "Nadia Putri",
        "editor": "Hendra Gunawan",
        "credit": None,
        "image_caption": "Deretan minyak goreng kemasan di rak toko. /Pexels",
        "tags": ["minyak goreng", "harga pangan", "ekonomi"],
        "paras": [
            "JAKARTA, Warta Harian - Harga minyak goreng di sejumlah pasar tradisional masih tinggi meski pemerintah telah "
            "menetapkan kebijakan satu harga. Pedagang mengeluhkan pasokan yang langka dan harga kulakan yang mahal.",
            "Para pembeli, terutama pelaku usaha kecil, merasa semakin terbebani. Kenaikan harga ini dinilai memperburuk "
            "daya beli masyarakat yang belum pulih sepenuhnya.",
            "\u201cPembeli marah-marah, kami juga rugi. Stok sulit didapat dan harganya tidak turun,\u201d kata Wati, "
            "pedagang di Pasar Kramat Jati.",
            "Pengamat menilai kebijakan ekonomi di sektor pangan kurang efektif dan khawatir inflasi bahan pokok akan "
            "terus meningkat dalam beberapa bulan ke depan.",
        ],
        "baca_juga_after": [1],
        "shares": 733,
    },
    {
        "outlet": "warta-harian",
        "key": "wh-umkm",
        "section": "Bisnis",
        "path": "bisnis/2022/02/02/umkm-yogyakarta-bangkit-penjualan-daring-melonjak",
        # The same page is also served at an old-style id URL without rel=canonical: an exact duplicate.
        "alias_paths": ["read/20220202/48213"],
        "no_canonical": True,
        "title": "UMKM Yogyakarta Bangkit, Penjualan Daring Melonjak",
        "time": "14:25",
        "author": "Nadia Putri",
        "editor": "Hendra Gunawan",
        "credit": None,
        "image_caption": "Perajin batik mengemas pesanan daring. /Warta Harian",
        "tags": ["UMKM", "ekonomi digital", "Yogyakarta"],
        "paras": [
            "YOGYAKARTA, Warta Harian - Usaha mikro, kecil, dan menengah (UMKM) di Yogyakarta mulai bangkit. Penjualan "
            "melalui lapak daring melonjak dan banyak pelaku usaha berhasil menambah pekerja baru.",
            "Dinas Koperasi dan UKM mencatat ribuan pelaku usaha kini sukses memasarkan produk batik, kerajinan perak, "
            "dan makanan olahan ke luar daerah, bahkan ke mancanegara.",
            "\u201cPesanan naik tiga kali lipat. Kami sangat bersyukur dan optimistis tahun ini akan lebih baik,\u201d kata "
            "Ratna, pemilik usaha batik di Bantul.",
            "Pemerintah daerah berencana memperluas pelatihan pemasaran digital agar manfaat pertumbuhan ekonomi ini "
            "dirasakan lebih banyak warga.",
        ],
        "baca_juga_after": [],
        "shares": 390,
    },
    {
        "outlet": "warta-harian",
        "key": "wh-ri-ukraina",
        "section": "Dunia",
        "path": "dunia/2022/02/02/indonesia-serukan-penyelesaian-damai-ketegangan-rusia-ukraina",
        "title": "Indonesia Serukan Penyelesaian Damai atas Ketegangan Rusia-Ukraina",
        "time": "17:45",
        "author": "Tim Warta Harian",
        "editor": "Sari Kusumawardani",
        "credit": None,
        "image_caption": "Ilustrasi meja perundingan diplomatik. /Pexels",
        "tags": ["Ukraina", "Rusia", "diplomasi", "Kemenlu"],
        "paras": [
            "JAKARTA, Warta Harian - Pemerintah Indonesia menyerukan agar semua pihak menahan diri dan mengedepankan "
            "dialog dalam menyikapi ketegangan antara Rusia dan Ukraina.",
            "Juru bicara Kementerian Luar Negeri menyampaikan bahwa Indonesia terus memantau situasi dan memastikan "
            "keselamatan warga negara Indonesia di Ukraina.",
            "Menurut Kemenlu, saat ini terdapat sekitar 138 WNI di Ukraina dan KBRI Kyiv tetap berkomunikasi dengan mereka.",
        ],
        "baca_juga_after": [],
        "shares": 156,
    },
    # ---------------- Jakarta Daily Ledger (en) ----------------
    {
        "outlet": "jakarta-daily-ledger",
        "key": "jdl-ap",
        "section": "World",
        "path": "world/2022/02/02/russia-us-trade-barbs-over-ukraine-as-lavrov-blinken-talk",
        "title": "Russia, US trade barbs over Ukraine as Lavrov and Blinken talk by phone",
        "time": "09:05",
        "author": "Associated Press",
        "editor": "Michael Tanoto",
        "credit": "AP",
        "image_caption": "The United Nations headquarters in New York. Photo: Pexels",
        "tags": ["Russia", "United States", "Ukraine", "United Nations"],
        "paras": EN_AP_PARAS,
        "baca_juga_after": [2],
        "shares": 2310,
    },
    {
        "outlet": "jakarta-daily-ledger",
        "key": "jdl-troops",
        "section": "World",
        "path": "world/2022/02/02/pentagon-to-send-more-troops-to-eastern-europe",
        "title": "Pentagon to send about 3,000 more troops to Eastern Europe amid Ukraine tensions",
        "time": "20:30",
        "author": "Ledger Wire Desk",
        "editor": "Michael Tanoto",
        "credit": None,
        "image_caption": "File photo of a military transport aircraft. Photo: Pexels",
        "tags": ["United States", "NATO", "Ukraine", "Poland"],
        "paras": [
            "WASHINGTON — The Pentagon said Wednesday it will send about 3,000 additional troops to Poland, Germany and "
            "Romania to reassure NATO allies worried about Russia's buildup near Ukraine.",
            "Officials in Washington stressed that the troops would not fight in Ukraine and that the deployment was "
            "meant to deter, not provoke. President Joe Biden has said the United States remains committed to diplomacy.",
            "The Kremlin criticised the move as destructive, saying it raised tensions rather than easing them.",
        ],
        "baca_juga_after": [],
        "shares": 1102,
    },
    {
        "outlet": "jakarta-daily-ledger",
        "key": "jdl-floods",
        "section": "Indonesia",
        "path": "indonesia/2022/02/02/floods-force-thousands-from-homes-in-greater-jakarta",
        "title": "Floods force thousands from their homes in Greater Jakarta",
        "time": "07:50",
        "author": "Ayu Lestiani",
        "editor": "Grace Halim",
        "credit": None,
        "image_caption": "Residents wade through floodwater in a residential area. Photo: JDL/Ayu Lestiani",
        "tags": ["floods", "Jakarta", "Bekasi", "weather"],
        "paras": [
            "JAKARTA — Severe floods swamped hundreds of homes in Bekasi and parts of East Jakarta after torrential rain, "
            "forcing thousands of residents to flee to crowded shelters.",
            "Residents said they were exhausted and angry that the same neighbourhoods flood almost every year. Many lost "
            "furniture, motorcycles and documents, and several elderly people had to be rescued by boat.",
            "\u201cThis is the worst flooding we have had in years. We are tired, we are losing everything,\u201d said one "
            "resident sheltering in a mosque.",
            "Disaster officials warned that heavy rain and dangerous flash flooding could continue through the weekend.",
        ],
        "baca_juga_after": [1],
        "shares": 640,
    },
    {
        "outlet": "jakarta-daily-ledger",
        "key": "jdl-trade",
        "section": "Business",
        "path": "business/2022/02/02/indonesia-exports-hit-record-high-on-commodity-boom",
        "alias_paths": ["amp/business/2022/02/02/indonesia-exports-hit-record-high-on-commodity-boom"],
        "title": "Indonesia's exports hit record high on commodity boom",
        "time": "16:10",
        "author": "Kevin Saputra",
        "editor": "Grace Halim",
        "credit": None,
        "image_caption": "Containers stacked at Tanjung Priok port. Photo: Pexels",
        "tags": ["economy", "exports", "trade"],
        "paras": [
            "JAKARTA — Indonesia's exports climbed to a record high last year, giving the economy a strong boost and "
            "extending a long run of healthy trade surpluses.",
            "Economists welcomed the figures as excellent news for the recovery, crediting robust demand for coal and "
            "palm oil as well as successful efforts to process more raw materials at home.",
            "\u201cThe outlook is very encouraging. A solid surplus supports the rupiah and improves investor confidence,\u201d "
            "said an economist at a Jakarta-based bank.",
            "Officials said they were optimistic the positive trend would continue this year as global demand improves.",
        ],
        "baca_juga_after": [],
        "shares": 455,
    },
]
