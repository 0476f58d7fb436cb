"""Tests for mediamon.enrich.topics: query parsing and topic matching."""

from __future__ import annotations

import pytest

from mediamon.config import Topic
from mediamon.enrich.topics import Not, Term, TopicMatcher, is_acronym, match_topics, parse_query, split_sentences


def _leaf_texts(node):
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Not):
        return ("NOT", _leaf_texts(node.child))
    return (type(node).__name__, *(_leaf_texts(c) for c in node.children))


@pytest.mark.parametrize(
    "q, expected",
    [
        ("Ukraine", "Ukraine"),
        ('"Joko Widodo"', "Joko Widodo"),
        ("Jokowi Prabowo", ("Or", "Jokowi", "Prabowo")),  # implicit OR
        ("a OR b AND c", ("Or", "a", ("And", "b", "c"))),  # AND binds tighter
        ('"Ukraine" OR Kyiv AND NOT football', ("Or", "Ukraine", ("And", "Kyiv", ("NOT", "football")))),
        ("(a OR b) AND c", ("And", ("Or", "a", "b"), "c")),
        ("a b NOT c", ("And", ("Or", "a", "b"), ("NOT", "c"))),  # bare NOT excludes for the group
        ("NOT c a", ("And", "a", ("NOT", "c"))),
        ("a and b or c", ("Or", "a", "and", "b", "or", "c")),  # lowercase operators are terms
        ("Ukrain* NOT (football OR sepakbola)", ("And", "Ukrain*", ("NOT", ("Or", "football", "sepakbola")))),
    ],
)
def test_parse_query_structure(q, expected):
    assert _leaf_texts(parse_query(q).root) == expected


def test_parse_query_terms_and_flags():
    q = parse_query('Ukrain* OR "Joko Wido*" AND NOT sepakbola')
    terms = {t.text: t for t in q.terms()}
    assert terms["Ukrain*"].prefix and not terms["Ukrain*"].phrase
    assert terms["Joko Wido*"].phrase and terms["Joko Wido*"].words == ("Joko", "Wido*")
    assert [t.text for t in q.positive_terms()] == ["Ukrain*", "Joko Wido*"]
    assert terms["sepakbola"].pos == len('Ukrain* OR "Joko Wido*" AND NOT ')


@pytest.mark.parametrize(
    "q, fragment",
    [
        ("", "empty query at position 0"),
        ("   ", "empty query at position 0"),
        ("(a OR b", "'(' at position 0 is never closed"),
        ("a OR b)", "')' at position 6"),
        ("a AND", "dangling operator 'AND' at position 2"),
        ("OR a", "dangling operator 'OR' at position 0"),
        ("a OR OR b", "dangling operator 'OR' at position 2"),
        ("a AND NOT", "dangling operator 'NOT' at position 6"),
        ("a ()", "empty parentheses at position 2"),
        ('a "b c', "unterminated quote at position 2"),
        ('a ""', "empty phrase at position 2"),
        ("a *", "at position 2"),
        ("Uk*raine", "at position 0"),
        ("NOT football", "at position 0"),  # would match every article without 'football'
        ("a OR NOT b", "at position 0"),
    ],
)
def test_parse_query_errors(q, fragment):
    with pytest.raises(ValueError) as ei:
        parse_query(q)
    assert fragment in str(ei.value)
    assert "at position" in str(ei.value)


def test_config_topic_validates_query():
    t = Topic(id="ukraine", name="Ukraine war", query="Ukrain* OR Kyiv")
    assert t.query == "Ukrain* OR Kyiv"
    with pytest.raises(ValueError, match="position"):
        Topic(id="bad", name="Bad", query="Ukraine AND (Kyiv")


def test_acronym_rule():
    assert is_acronym("AS") and is_acronym("DPR") and is_acronym("U.S.")
    assert not is_acronym("NATO") and not is_acronym("As") and not is_acronym("Kyiv")


US = Topic(
    id="usa",
    name="United States",
    terms={"id": ["AS", "Amerika Serikat"], "en": ["US", "United States", "Washington"]},
)


def test_indonesian_acronym_whole_word_case_sensitive():
    m = TopicMatcher.from_topic(US)
    text = "Presiden AS tiba di Jakarta. Kasus korupsi itu belum selesai.\nHubungan dengan Amerika Serikat membaik."
    r = m.match(text, "Kunjungan Presiden AS", "id")
    assert r is not None
    assert r.topic_id == "usa"
    assert r.terms == ["AS", "Amerika Serikat"]
    assert r.count == 3  # title AS, body AS, Amerika Serikat; not 'kasus'
    assert r.in_title
    assert r.sentences == ["Kunjungan Presiden AS", "Presiden AS tiba di Jakarta.", "Hubungan dengan Amerika Serikat membaik."]
    assert m.match("Kasus itu selesai, as usual.", None, "id") is None
    assert m.match("As-salamu alaykum, kata dia.", None, "id") is None


def test_language_selection_and_fallback():
    m = TopicMatcher.from_topic(US)
    # English article: only English terms; Indonesian 'AS' does not apply
    assert m.match("Talks resumed AS planned.", None, "en") is None
    r = m.match("The US and Indonesia signed a deal in Washington.", None, "en")
    assert r.terms == ["US", "Washington"] and r.count == 2
    # unknown language or a language without its own list: all languages' terms apply
    r = m.match("Delegasi AS dan the United States.", None, "ms")
    assert r.terms == ["AS", "United States"]
    assert m.match("Delegasi AS.", None, None).terms == ["AS"]
    # '*' terms apply to every language
    m2 = TopicMatcher("p", {"*": ["Prabowo"], "id": ["presiden"]})
    assert m2.match("Presiden Prabowo berpidato.", None, "id").terms == ["presiden", "Prabowo"]
    assert m2.match("President Prabowo spoke.", None, "en").terms == ["Prabowo"]


def test_query_matching_prefix_phrase_not():
    m = TopicMatcher.from_topic(Topic(id="ukr", name="Ukraine", query='Ukrain* OR "Volodymyr Zelensky" AND NOT football'))
    r = m.match("Ukrainian troops advanced. Dr. Smith said Ukraine would hold.\nFootball was cancelled.", "War in Ukraina", "en")
    assert r.terms == ["Ukrain*"]
    assert r.count == 3
    assert r.sentences == ["War in Ukraina", "Ukrainian troops advanced.", "Dr. Smith said Ukraine would hold."]
    # NOT excludes only its own AND-branch
    assert m.match("Volodymyr Zelensky watched football.", None, "en") is None
    r = m.match("Volodymyr   Zelensky met ministers.", None, "en")
    assert r.terms == ["Volodymyr Zelensky"] and r.count == 1
    # prefix needs a word start: 'Ukrain*' must not match inside a word
    assert m.match("The reukrainisation was a typo.", None, "en") is None


def test_group_exclusion_and_shadowed_terms():
    m = TopicMatcher("jkw", query='Jokowi "Joko Widodo" NOT sepakbola')
    assert m.match("Joko Widodo meresmikan jalan tol.", None, "id").terms == ["Joko Widodo"]
    assert m.match("Jokowi menonton sepakbola.", None, "id") is None
    # a phrase and its own word at the same position: both must count for the boolean query
    m = TopicMatcher("w", query='"Joko Widodo" AND Widodo')
    assert m.match("Joko Widodo hadir.", None, "id") is not None
    assert m.match("Widodo hadir.", None, "id") is None


def test_diacritics_and_case_insensitivity():
    m = TopicMatcher("z", {"*": ["Zelenskyy", "Kyiv"]})
    r = m.match("ZÉLENSKYY arrived in kyïv.", None, "en")
    assert r.terms == ["Zelenskyy", "Kyiv"] and r.count == 2
    strict = TopicMatcher("z", {"*": ["Zelenskyy"]}, fold_diacritics=False)
    assert strict.match("Zélenskyy arrived.", None, "en") is None
    assert strict.match("zelenskyy arrived.", None, "en") is not None


def test_terms_or_query_semantics_and_match_topics():
    both = TopicMatcher("t", {"en": ["inflation"]}, "prices AND rice")
    assert both.match("Inflation rose.", None, "en").terms == ["inflation"]
    assert both.match("Rice prices rose.", None, "en").terms == ["prices", "rice"]
    assert both.match("Prices rose.", None, "en") is None
    matchers = [TopicMatcher.from_topic(US), both, TopicMatcher("none", {"*": ["volcano"]})]
    res = match_topics(matchers, "Rice prices in the US rose.", None, "en")
    assert [r.topic_id for r in res] == ["usa", "t"]
    assert res[0].to_dict()["sentences"] == ["Rice prices in the US rose."]
    assert match_topics(matchers, "", None, "en") == []
    assert match_topics(matchers, None, "US prices", "en")[0].in_title


def test_duplicate_terms_counted_once():
    m = TopicMatcher("d", {"*": ["Jakarta"], "id": ["jakarta", "Jakarta"], "en": ["Batavia"]})
    r = m.match("Jakarta, Jakarta!", None, "id")
    # first spelling wins: the article language's list comes before '*'
    assert r.terms == ["jakarta"] and r.count == 2
    assert m.match("Jakarta, Jakarta!", None, "en").terms == ["Jakarta"]


def test_matcher_rejects_empty_topic():
    with pytest.raises(ValueError, match="needs terms or a query"):
        TopicMatcher("x", {"id": []})
    with pytest.raises(ValueError, match="empty term"):
        TopicMatcher("x", {"id": ["  "]})


def test_split_sentences():
    text = "Dr. Smith met Mr. Jones in the U.S. yesterday. It rained! Did it?\nJl. Sudirman ditutup. Menurut Ir. Budi, dll. masih dibahas."
    assert split_sentences(text) == [
        "Dr. Smith met Mr. Jones in the U.S. yesterday.",
        "It rained!",
        "Did it?",
        "Jl. Sudirman ditutup.",
        "Menurut Ir. Budi, dll. masih dibahas.",
    ]


# --- issue 8: no single input sinks a run -------------------------------------------------

@pytest.mark.parametrize("q, pos", [
    ("(" * 250 + "Kyiv" + ")" * 250, 100),  # the 101st '('
    ("NOT " * 5000 + "Kyiv", 400),  # the 101st NOT
    ("a AND " + "NOT " * 5000 + "b", 406),
    ("x OR " + "(NOT " * 60 + "y" + ")" * 60, 5 + 50 * 5),  # '(' and NOT both count
])
def test_too_deep_query_is_a_syntax_error_with_position(q, pos):
    with pytest.raises(ValueError) as ei:
        parse_query(q)
    assert f"nested too deeply at position {pos}" in str(ei.value)


def test_deepest_allowed_query_walkers_do_not_recurse():
    """At the depth limit, parse/evaluate/terms/str/compile/match run with almost no stack left."""
    import sys

    from mediamon.enrich.topics import MAX_QUERY_DEPTH

    nested = "(" * MAX_QUERY_DEPTH + "Kyiv OR Kiev" + ")" * MAX_QUERY_DEPTH
    nots = "Kyiv AND " + "NOT " * (MAX_QUERY_DEPTH - 1) + "football"  # odd: NOT football
    groups = "Kyiv"
    for i in range(MAX_QUERY_DEPTH - 1):  # And(Or(..), Not) at every level
        groups = f"(w{i} {groups} AND Kyiv NOT x{i})"
    queries = [parse_query(q) for q in (nested, nots, groups)]  # full stack: the parser recurses per '('
    frame, depth = sys._getframe(), 0
    while frame:
        frame, depth = frame.f_back, depth + 1
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 40)  # a recursive walk of >= 100 levels would exceed this
    try:
        for q in queries:
            assert q.evaluate({"Kyiv"}) and not q.evaluate(set())
            assert str(q) and repr(q.root)
            assert "Kyiv" in [t.text for t in q.terms()]
            m = TopicMatcher("deep", query=q)
            r = m.match("Kyiv was calm.", None, "en")
            assert r is not None and r.terms == ["Kyiv"]
    finally:
        sys.setrecursionlimit(old)
    assert TopicMatcher("n", query=queries[1]).match("Kyiv football", None, "en") is None
    assert str(queries[0]) == "Kyiv OR Kiev"  # redundant parentheses add no tree depth
    assert str(queries[1]) == "Kyiv AND " + "NOT " * (MAX_QUERY_DEPTH - 1) + "football"
    again = parse_query(str(queries[2]))  # str() reparses to an equivalent query
    for present in ({"Kyiv"}, {"Kyiv", "x5"}, {"w98"}, {"w98", "x98"}, {"w3", "Kyiv", "x2"}):
        assert again.evaluate(present) == queries[2].evaluate(present)


def _compile_calls(n: int) -> int:
    """Python and C function calls made while compiling a query of ``n`` terms (some phrases
    sharing words with single terms): a deterministic measure of work."""
    import cProfile
    import pstats
    import re

    terms = [f'kata{i} "Joko kata{i}"' if i % 10 == 0 else f"kata{i}" for i in range(n)]
    m = TopicMatcher("big", query=" OR ".join(terms))
    re.purge()  # no cached regex from an earlier run
    prof = cProfile.Profile()
    prof.enable()
    m._compiled(None)
    prof.disable()
    return pstats.Stats(prof).total_calls


def test_compile_work_grows_near_linearly():
    """4x the terms costs ~4x the calls (was ~14x: an all-pairs shadowing loop, 100 s for 8,000 terms)."""
    small, large = _compile_calls(250), _compile_calls(1000)
    assert large / small < 6, (small, large)


def test_shadowed_leaves_still_found_both_prefix_directions():
    # found phrase word 'widodo' starts with the unmatched leaf's first word 'wid'
    m = TopicMatcher("w", query='"Joko Widodo" AND Wid*')
    assert m.match("Joko Widodo hadir.", None, "id") is not None
    # the unmatched leaf's first word equals a word of the found phrase
    m = TopicMatcher("j", query='"Jokowi Widodo" AND Jokowi')
    assert m.match("Jokowi Widodo hadir.", None, "id") is not None
    assert m.match("Jokowi hadir.", None, "id") is None


# --------------------------------------------------------------------------- word-index matcher (issue 9)


def test_matcher_results_equal_the_alternation_matcher_on_fixture_cases():
    """220 generated cases (tests/topic_cases.py: mixed-language texts, acronyms, diacritics, dotted and
    hyphenated words, prefixes, phrases, boolean queries), expected results recorded with the
    combined-alternation matcher this word index replaced: every result is identical."""
    import json

    from topic_cases import FIXTURE, run

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert len(data) == 220 and sum(len(c["expected"]) for c in data) > 400
    mismatches = [n for n, c in enumerate(data) if run(c) != c["expected"]]
    assert mismatches == []


def _match_ops(n_terms: int) -> tuple[int, list[str], int]:
    """(index operations, matched terms, mentions) for one 3,000-character text against a query of
    ``n_terms`` terms (every tenth also a phrase "Joko kataN"): look-ups plus regex verifications."""
    terms = [f'kata{i} "Joko kata{i}"' if i % 10 == 0 else f"kata{i}" for i in range(n_terms)]
    m = TopicMatcher("big", query=" OR ".join(terms))
    comp = m._compiled(None)
    sentence = "Presiden Joko kata10 hadir di acara itu, kata1234 dan kataX bertemu warga Surabaya. "
    text = (sentence * 40)[:3000]
    before = comp.ops  # look-ups and verifications so far (compiling does none)
    r = m.match(text, None, "id")
    assert r is not None
    return comp.ops - before, r.terms, r.count


def test_match_work_does_not_grow_with_the_number_of_terms():
    """10x the terms, same text: the same number of index operations (the alternation regex tried
    every term at every word start: ~27 s for a 3,000-character text at 8,000 terms)."""
    small, large = _match_ops(2000), _match_ops(20000)
    assert small[1:] == large[1:] == (["Joko kata10", "kata1234"], 72)
    assert 0 < large[0] == small[0]
    assert large[0] < 1000  # far below one operation per term (20,000)


def test_case_key_agrees_with_the_regex_engine_on_every_character():
    """_key (the look-up key) puts two characters in one class exactly when ``re.IGNORECASE`` can
    match them, and only U+0345 shares a class with a word character while not being one."""
    import _sre
    import re
    import sys

    from mediamon.enrich.topics.index import _CANON, _MIXED_KEYS, _key

    word = re.compile(r"\w")
    seen: dict[str, bool] = {}
    mixed = set()
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        k = _key(c)
        assert k == chr(_sre.unicode_tolower(cp)).translate(_CANON), hex(cp)
        w = word.match(c) is not None
        if seen.setdefault(k, w) != w:
            mixed.add(k)
    assert mixed == set(_MIXED_KEYS)
    assert _CANON  # the engine's extra case classes were found (re._casefix)


@pytest.mark.parametrize(
    ("term", "text", "count"),
    [
        ("sun", "The ſun rose.", 1),  # long s: re.IGNORECASE matches it, so must the index
        ("İstanbul", "istanbul dan ISTANBUL", 2),  # U+0130 lower-cases to two characters
        ("#MeToo", "gerakan #metoo dan #MeToo2", 1),  # first character not a word character: scanned
        ("U.S.", "the U.S. and u.s.a", 1),
        ("Joko Wido*", "Joko   Widodo, Joko\nWidodo dan Joko-Widodo", 2),
        ("AS", "AS dan as", 1),
    ],
)
def test_index_edge_cases(term, text, count):
    r = TopicMatcher("t", {"*": [term]}).match(text)
    assert r is not None and r.count == count
