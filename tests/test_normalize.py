"""Offset-preserving normalisation: the clean copy parses better and every span maps back to the original."""

import pytest
from hypothesis import given, settings, strategies as st

from cablegram.gazetteer import known_place_names
from cablegram.normalize import normalize


def _back(original: str, norm, start: int, end: int) -> str:
    a, b = norm.to_original(start, end)
    return original[a:b]


def test_reversed_and_mixed_curly_quotes_become_straight():
    original = "Talks on ”frictions“ and ‘red lines’ went on; the envoy’s view"
    norm = normalize(original)
    assert norm.text == "Talks on \"frictions\" and 'red lines' went on; the envoy's view"
    i = norm.text.index('"frictions"')
    assert _back(original, norm, i, i + 11) == "”frictions“"


@pytest.mark.parametrize("original, expected", [
    ("the talks,which began", "the talks, which began"),
    ("as stated:Russia wants", "as stated: Russia wants"),
    ("first round;second round", "first round; second round"),
    ("were held.The next", "were held. The next"),
    ("1,000 diplomats", "1,000 diplomats"),
    ("the U.S. side", "the U.S. side"),
    ("a 3.5 percent rise", "a 3.5 percent rise"),
    ("at 10 a.m. today", "at 10 a.m. today"),
    ("see https://example.org/a,b:c.Html now", "see https://example.org/a,b:c.Html now"),
])
def test_missing_spaces(original, expected):
    assert normalize(original).text == expected


def test_inserted_space_maps_to_an_empty_original_span():
    original = "talks,which"
    norm = normalize(original)
    assert norm.text == "talks, which"
    assert norm.to_original(6, 7) == (6, 6)
    assert _back(original, norm, 0, len(norm.text)) == original
    assert _back(original, norm, 7, 12) == "which"


@pytest.mark.parametrize("original, expected", [
    ("the US embassy in moscow", "the US embassy in Moscow"),
    ("consular sections in astana and warsaw", "consular sections in Astana and Warsaw"),
    ("a nice day in split", "a nice day in split"),
    ("reading the mobile text", "reading the mobile text"),
    ("the male van driver", "the male van driver"),
    ("Moscow stays Moscow", "Moscow stays Moscow"),
    ("mail moscow@example.org", "mail moscow@example.org"),
])
def test_lower_case_place_names(original, expected):
    assert normalize(original).text == expected


def test_whitespace_and_control_characters():
    original = "Russia\u00a0and   the\tUS\x07agreed\nnext  line"
    norm = normalize(original)
    assert norm.text == "Russia and the US agreed\nnext line"
    i = norm.text.index("agreed")
    assert _back(original, norm, i, i + 6) == "agreed"
    j = norm.text.index(" the")
    assert _back(original, norm, j, j + 1) == "   "


def test_span_positions_map_exactly():
    original = "Recent talks in  istanbul,say officials, went well"
    norm = normalize(original)
    i = norm.text.index("Istanbul")
    assert _back(original, norm, i, i + len("Istanbul")) == "istanbul"
    k = norm.text.index("officials")
    assert _back(original, norm, k, k + 9) == "officials"


def test_out_of_range_spans_are_refused():
    norm = normalize("abc")
    with pytest.raises(ValueError):
        norm.to_original(2, 5)


PIECES = list("abcmoswAUS .,;:'\"\n\t1") + ["“", "”", "‘", "’", "\u00a0", "\u200b", "\x01", "  ", "moscow",
                                                "U.S.", "Istanbul", "a.m.", "3.5", "nice"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_every_span_maps_back_inside_the_original(original):
    norm = normalize(original)
    n = len(norm.text)
    assert norm.to_original(0, n) == (0, len(original))
    for start in range(n + 1):
        for end in range(start, min(n, start + 6) + 1):
            a, b = norm.to_original(start, end)
            assert 0 <= a <= b <= len(original)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_characters_map_to_what_they_came_from(original):
    norm = normalize(original)
    for i, ch in enumerate(norm.text):
        a, b = norm.to_original(i, i + 1)
        source = original[a:b].replace("\u200b", "")  # a dropped zero-width joins the character before it
        if source == ch:
            continue
        if ch == " ":  # inserted, or made of spaces and odd characters
            assert source == "" or not any(c.isalnum() for c in source)
        elif ch in "\"'":
            assert source in {'"', "'", "“", "”", "‘", "’"}
        else:
            assert source.lower() == ch.lower()  # only the case of a place name changed


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghij klmnop", max_size=40))
def test_plain_text_changes_only_the_case_of_place_names(original):
    norm = normalize(original)
    if "  " not in original:
        assert norm.text.lower() == original
        assert norm.to_original(0, len(norm.text)) == (0, len(original))
        changed = [w for w, v in zip(original.split(" "), norm.text.split(" ")) if w != v]
        assert all(w in known_place_names() for w in changed)


def test_empty_and_whitespace_only_text():
    assert normalize("").to_original(0, 0) == (0, 0)
    norm = normalize("\u200b\u00a0  \x02")
    assert norm.text == " "
    assert norm.to_original(0, 1) == (0, 5)
