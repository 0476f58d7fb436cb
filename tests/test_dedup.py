"""Tests for mediamon.enrich.dedup (hashing, MinHash signatures) and mediamon.analytics.stories (story clustering)."""

from __future__ import annotations

import hashlib
import random
import struct

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash

from mediamon.analytics.stories import cluster_stories
from mediamon.enrich import dedup
from mediamon.enrich.dedup import content_hash, normalize_text, signature, signature_from_bytes

# An invented wire story (8 paragraphs) and a different story on the same topic.
WIRE = [
    "JAKARTA (Wire) - Floodwaters swept through eastern districts of the Indonesian capital on Tuesday after two days of torrential rain, forcing more than 12,000 residents to leave their homes, the city disaster agency said.",
    "Water reached a depth of 1.8 metres in parts of Kampung Melayu and Bidara Cina, where rescue teams used rubber boats to evacuate elderly people and children from the upper floors of houses along the Ciliwung river.",
    "The agency said three people had died, including a teenager who was swept away by a drainage canal current in Cipinang, and that two others were still missing as search teams continued working through the night.",
    "Governor's spokesman Ahmad Riza told reporters that 46 temporary shelters had been opened in mosques, schools and sports halls, and that public kitchens were serving hot meals to displaced families.",
    "The meteorology agency BMKG warned that heavy rain would continue until the weekend across Greater Jakarta, and urged residents living close to rivers to stay alert and follow evacuation orders from local officials.",
    "Commuter rail operator KCI suspended services on two lines after tracks near Manggarai station were submerged, leaving thousands of office workers stranded during the morning rush hour.",
    "Environmental groups have long blamed the recurring floods on land subsidence caused by excessive groundwater extraction, the loss of green space and rubbish clogging the capital's rivers and canals.",
    "The government is moving the capital to Nusantara in East Kalimantan, partly because of the flooding and sinking land, but most ministries are still based in Jakarta and the relocation has been repeatedly delayed.",
]

OTHER = [
    "JAKARTA (Wire) - Indonesia's public works ministry on Thursday unveiled a plan to build a giant sea wall along the northern coast of Java, saying the project would protect millions of people from tidal flooding.",
    "Minister Basuki Hadimuljono said the first phase, covering the bay of Jakarta, would cost an estimated 80 trillion rupiah and would be financed partly by private investors and partly by the state budget.",
    "Engineers will combine an offshore dike with pumping stations and retention basins, because large parts of the north of the capital now lie below sea level after decades of groundwater extraction.",
    "Critics among fishing communities in Muara Angke fear the wall will cut them off from their fishing grounds, and several associations said they had not been consulted about the design or the compensation.",
    "A study by the Bandung Institute of Technology found that some coastal neighbourhoods are sinking by as much as 25 centimetres a year, one of the fastest rates of subsidence of any major city in the world.",
    "The ministry said tenders for the detailed design would open in the second half of the year, with construction of the first segment expected to begin within three years if financing is secured.",
    "President Joko Widodo has described the coastal defence as a national strategic project, separate from the move of the administrative capital to Nusantara on the island of Borneo.",
    "Previous sea wall plans announced in 2014 stalled over funding disputes between the central government and the Jakarta administration, and only short sections of the coastal embankment were completed.",
]


def wire_original() -> str:
    return "\n".join(WIRE)


def syndicated_copy() -> str:
    """Outlet copy: own intro sentence, paragraph 6 dropped, one paragraph lightly edited,
    outlet boilerplate before and after."""
    paras = list(WIRE)
    paras[0] = paras[0].replace("JAKARTA (Wire) - ", "")
    paras.insert(0, "Jakarta was once again under water this week, as our correspondents report.")
    del paras[6]  # the commuter-rail paragraph
    paras[4] = paras[4].replace("Governor's spokesman", "A spokesman for the governor,").replace("told reporters", "said")
    return "\n".join(["ADVERTISEMENT", *paras, "Follow us on social media for the latest news.", "Copyright 2025 Daily Tribune. All rights reserved."])


def test_normalize_text_and_content_hash():
    assert normalize_text("  Hello,   WORLD!\n\n\u201cQuoted\u201d — text_x ") == "hello world quoted text x"
    assert normalize_text("ｆｕｌｌ　ｗｉｄｔｈ") == "full width"  # NFKC
    assert normalize_text(None) == ""
    h = content_hash("Banjir di Jakarta.")
    assert h == hashlib.sha1(b"banjir di jakarta").hexdigest()  # SHA-1 of the normalised text
    assert content_hash("BANJIR  di jakarta") == h
    assert content_hash("Banjir di Bandung.") != h


def test_signature_roundtrip_and_layout():
    """Signatures are datasketch LeanMinHash bytes (little-endian), readable with datasketch alone."""
    text = wire_original()
    b = signature(text)
    assert isinstance(b, bytes)
    params = dedup.signature_params(b)
    assert params["num_perm"] == 128 and params["format"] == "lean" and params["shingle_size"] is None
    assert params["scheme"] == dedup.default_scheme() == "affine32"
    assert len(b) == 8 + 4 + 1 + 128 * 4  # seed i64, -num_perm i32, scheme u8, 128 x u32
    lean = LeanMinHash.deserialize(b, byteorder="<")
    direct = dedup.minhash(text)
    assert lean.seed == 1 and list(lean.hashvalues) == list(direct.hashvalues)
    m = signature_from_bytes(memoryview(b))  # DuckDB may hand back a memoryview
    assert isinstance(m, MinHash)
    assert m.jaccard(direct) == 1.0
    assert signature(text) == b  # deterministic across calls
    assert signature("   ...  ") is None


def _old_layout(text: str) -> bytes:
    """A signature as mediamon stored it before issue 9 (``MMH1`` header, then the hash values)."""
    m = dedup.minhash(text)
    header = struct.pack("<4sBBHI", b"MMH1", 1, 5, len(m), m.seed)  # scheme 1 = affine32, shingle size 5
    return header + np.asarray(m.hashvalues).astype("<u4").tobytes()


def test_signatures_in_the_old_layout_are_still_read_and_cluster():
    text = wire_original()
    old = _old_layout(text)
    assert len(old) == 12 + 128 * 4
    assert dedup.signature_params(old) == {"scheme": "affine32", "shingle_size": 5, "num_perm": 128, "seed": 1,
                                           "format": "mmh1"}
    assert signature_from_bytes(old).jaccard(dedup.minhash(text)) == 1.0
    # rows without text cluster on their stored signatures alone: old rows, new rows, and both mixed
    arts = _articles()[:5]  # wire copy, original, exact mirror, another story and its copy
    for make in (_old_layout, signature):
        for other in (_old_layout, signature):
            rows = [{**a, "text": None, "content_hash": content_hash(a["text"]),
                     "signature": (make if i % 2 else other)(a["text"])} for i, a in enumerate(arts)]
            assert cluster_stories(rows) == cluster_stories(arts)
    assert cluster_stories(arts) == {"copy-tribune": "wire-original", "wire-original": "wire-original",
                                     "exact-mirror": "wire-original", "seawall": "seawall", "seawall-copy": "seawall"}


def test_jaccard_wire_copy_high_other_story_low():
    orig, copy, other = wire_original(), syndicated_copy(), "\n".join(OTHER)
    exact = len(dedup.shingles(orig) & dedup.shingles(copy)) / len(dedup.shingles(orig) | dedup.shingles(copy))
    est = dedup.jaccard(orig, copy)
    assert exact > 0.6
    assert abs(est - exact) < 0.15  # MinHash estimate, 128 permutations (std error ~0.04)
    assert dedup.jaccard(orig, other) < 0.1
    assert dedup.jaccard(orig, "") == 0.0


def _articles():
    orig, copy, other = wire_original(), syndicated_copy(), "\n".join(OTHER)
    return [
        {"article_id": "copy-tribune", "text": copy, "published_at": "2025-01-14T11:30:00+07:00", "fetched_at": "2025-01-14T05:00:00Z"},
        {"article_id": "wire-original", "text": orig, "published_at": "2025-01-14T03:05:00Z", "fetched_at": "2025-01-14T04:00:00Z"},
        # exact copy at another URL (different whitespace/punctuation), no publication date
        {"article_id": "exact-mirror", "text": orig.replace("\n", "\n\n").upper(), "published_at": None, "fetched_at": "2025-01-14T06:00:00Z"},
        {"article_id": "seawall", "text": other, "published_at": "2025-01-13T01:00:00Z", "fetched_at": "2025-01-13T02:00:00Z"},
        # copy of the sea-wall story with the last paragraph dropped and a tagline added
        {"article_id": "seawall-copy", "text": "\n".join(OTHER[:-1] + ["Reporting by our Jakarta bureau."]), "published_at": "2025-01-13T09:00:00+07:00", "fetched_at": None},
        {"article_id": "stub-1", "text": "Subscribe to continue reading this article.", "published_at": None, "fetched_at": None},
        {"article_id": "stub-2", "text": "Subscribe to continue reading this article.", "published_at": None, "fetched_at": None},
    ]


def test_cluster_stories_groups_wire_copies_not_other_stories():
    stories = cluster_stories(_articles())
    assert stories["wire-original"] == "wire-original"  # earliest published (03:05Z < 04:30Z)
    assert stories["copy-tribune"] == "wire-original"
    assert stories["exact-mirror"] == "wire-original"
    # sea-wall story: 2025-01-13T09:00+07:00 = 02:00Z is later than 01:00Z
    assert stories["seawall"] == "seawall" and stories["seawall-copy"] == "seawall"
    # stubs shorter than min_words stay alone even with equal hashes
    assert stories["stub-1"] == "stub-1" and stories["stub-2"] == "stub-2"
    assert len(set(stories.values())) == 4


def test_cluster_ids_stable_under_shuffle_and_stored_signatures():
    arts = _articles()
    expected = cluster_stories(arts)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = [dict(a) for a in arts]
        rng.shuffle(shuffled)
        for a in shuffled:  # half the time use stored signature + hash as the pipeline would
            if rng.random() < 0.5 and a["text"]:
                a["signature"] = signature(a["text"])
                a["content_hash"] = content_hash(a["text"])
        assert cluster_stories(shuffled) == expected


def test_threshold_controls_joining():
    arts = _articles()[:2]
    j = dedup.jaccard(arts[0]["text"], arts[1]["text"])
    assert cluster_stories(arts, threshold=max(0.05, j - 0.1))["copy-tribune"] == "wire-original"
    assert cluster_stories(arts, threshold=min(1.0, j + 0.1))["copy-tribune"] == "copy-tribune"


def test_transitive_chain_joins_one_story():
    # A, B, C: each consecutive pair shares most paragraphs, A and C share fewer
    a = "\n".join(WIRE)
    b = "\n".join(WIRE[2:] + OTHER[:2])
    c = "\n".join(WIRE[4:] + OTHER[:4])
    assert dedup.jaccard(a, c) < 0.5 <= min(dedup.jaccard(a, b), dedup.jaccard(b, c))
    arts = [
        {"article_id": "c", "text": c, "published_at": "2025-01-03", "fetched_at": None},
        {"article_id": "a", "text": a, "published_at": "2025-01-01", "fetched_at": None},
        {"article_id": "b", "text": b, "published_at": "2025-01-02", "fetched_at": None},
    ]
    assert cluster_stories(arts) == {"a": "a", "b": "a", "c": "a"}


def test_bad_input_errors_and_tolerance():
    with pytest.raises(ValueError, match="duplicate article_id 'x'"):
        cluster_stories([{"article_id": "x", "text": "a"}, {"article_id": "x", "text": "b"}])
    with pytest.raises(ValueError, match="#1 has no article_id"):
        cluster_stories([{"article_id": "x", "text": "a"}, {"text": "b"}])
    with pytest.raises(ValueError, match="threshold"):
        cluster_stories([], threshold=0)
    assert cluster_stories([]) == {}
    # a corrupt stored signature or unparsable date does not sink the others
    arts = _articles()[:2]
    arts[0] = {**arts[0], "signature": b"garbage", "published_at": "not a date"}
    out = cluster_stories(arts)
    assert out == {"copy-tribune": "wire-original", "wire-original": "wire-original"}
    # None text is a story of its own
    assert cluster_stories([{"article_id": "n", "text": None}]) == {"n": "n"}


def test_story_id_tiebreak_fetched_at_then_article_id():
    t = wire_original()
    arts = [
        {"article_id": "b", "text": t, "published_at": None, "fetched_at": "2025-01-01T00:00:00Z"},
        {"article_id": "c", "text": t, "published_at": None, "fetched_at": "2025-01-01T00:00:00Z"},
        {"article_id": "a", "text": t, "published_at": None, "fetched_at": "2025-01-02T00:00:00Z"},
    ]
    assert set(cluster_stories(arts).values()) == {"b"}
    for a in arts:
        a["fetched_at"] = None
    assert set(cluster_stories(arts).values()) == {"a"}
