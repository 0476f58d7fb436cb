"""Tests for mediamon.enrich.langid.detect_language (py3langid + Indonesian/Malay cues)."""

import pytest

from mediamon.enrich.langid import ID_CUES, MS_CUES, detect_language

INDONESIAN = (
    "Pemerintah kota memastikan tidak akan menaikkan tarif angkutan umum tahun ini karena daya beli "
    "warga belum pulih. Wali kota mengatakan anggaran subsidi sudah disiapkan dan warga bisa tetap "
    "membayar dengan uang tunai atau kartu di setiap halte."
)
MALAY = (
    "Kerajaan negeri memberi jaminan tidak akan menaikkan tambang pengangkutan awam tahun ini kerana "
    "kuasa beli rakyat belum pulih. Pegawai di pejabat daerah berkata peruntukan subsidi sudah disediakan "
    "dan orang ramai boleh terus membayar dengan wang tunai selepas ini."
)
ENGLISH = (
    "The city government said it would not raise public transport fares this year because household "
    "spending has not yet recovered, and commuters can keep paying in cash at every stop."
)


def test_indonesian_and_malay_are_separated():
    lang_id, conf_id = detect_language(INDONESIAN)
    lang_ms, conf_ms = detect_language(MALAY)
    assert lang_id == "id" and conf_id >= 0.5
    assert lang_ms == "ms" and conf_ms >= 0.5


def test_cues_beat_a_wrong_prior_on_clear_text():
    assert detect_language(MALAY, prior="id")[0] == "ms"
    assert detect_language(INDONESIAN, prior="ms")[0] == "id"


def test_english_detected_regardless_of_prior():
    lang, conf = detect_language(ENGLISH, prior="id")
    assert lang == "en" and conf > 0.9


def test_prior_decides_short_text():
    assert detect_language("Harga naik", prior="id") == ("id", 0.5)
    assert detect_language("Harga naik", prior="ms") == ("ms", 0.5)


def test_empty_text():
    assert detect_language("", prior=None) == ("und", 0.0)
    assert detect_language("  123 ", prior="id") == ("id", 0.0)


def test_cue_lists_disjoint_and_contain_brief_examples():
    assert not (ID_CUES & MS_CUES)
    assert {"karena", "bisa", "uang", "kantor"} <= ID_CUES
    assert {"kerana", "boleh", "wang", "pejabat", "kerajaan"} <= MS_CUES


def test_type_errors():
    with pytest.raises(TypeError):
        detect_language(b"bytes")
    with pytest.raises(TypeError):
        detect_language("teks", prior=7)


# ---- issue 10: prior 'id' on Indonesian text full of words Malay shares
# Standard Indonesian (KBBI): Mahkamah Konstitusi, ahli, semasa, kira-kira, hendak, bagaimanapun,
# kenyataan ('reality'), sekiranya are all Malay cues too; langid.py ranks this text 'ms' first.
INDONESIAN_COURT = (
    "Mahkamah Konstitusi menggelar sidang perdana gugatan uji materi undang-undang pemilu pada Selasa siang. "
    "Sejumlah ahli hukum tata negara hadir sebagai saksi dan menyampaikan pandangan mereka di hadapan majelis hakim. "
    "Semasa menjabat, ketua majelis dikenal tegas, dan sidang kali ini berlangsung kira-kira empat jam. "
    "Kuasa hukum pemohon mengaku hendak menghadirkan bukti tambahan pada sidang berikutnya. "
    "Bagaimanapun, kenyataan di lapangan menunjukkan banyak warga belum memahami aturan baru itu, "
    "sehingga sosialisasi perlu diperluas sekiranya jadwal pemungutan suara tidak berubah."
)
MALAY_COURT = (
    "Mahkamah Persekutuan menolak rayuan syarikat pembinaan itu semalam selepas mendengar hujah daripada kedua-dua pihak. "
    "Kerajaan negeri berkata pihaknya boleh menyambung semula projek perumahan tersebut kerana kelulusan sudah diberikan. "
    "Bagaimanapun, ahli majlis tempatan mahu pejabat daerah mengadakan sesi penerangan kepada penduduk terlebih dahulu. "
    "Wang pampasan akan dibayar sebaik sahaja dokumen pemilikan tanah disahkan."
)


def test_prior_id_keeps_indonesian_text_whose_malay_cues_are_also_indonesian_words():
    assert detect_language(INDONESIAN_COURT, prior="id")[0] == "id"


def test_prior_id_still_gives_malay_on_clearly_malay_text():
    assert detect_language(MALAY_COURT, prior="id")[0] == "ms"
    assert detect_language(MALAY_COURT)[0] == "ms"
    assert detect_language(MALAY, prior="id")[0] == "ms"
