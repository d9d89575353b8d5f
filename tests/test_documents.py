"""Readers: every input format becomes Documents, and every unreadable record a Skipped with a reason."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cablegram.documents import document_from_text, infer_date, iter_documents, strip_html
from cablegram.models import Document, Skipped

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def read(*paths) -> list[Document | Skipped]:
    return list(iter_documents(paths))


def docs(records) -> list[Document]:
    return [r for r in records if isinstance(r, Document)]


def skips(records) -> list[Skipped]:
    return [r for r in records if isinstance(r, Skipped)]


# ------------------------------------------------------------------ plain text heads

def test_text_file_with_headline_metadata_and_dateline(tmp_path):
    body = "Both delegations agreed to meet again in the autumn."
    text = ("Grain Corridor Talks Move Forward In Ankara\n"
            "date: 2024-09-02\n\n"
            f"ANKARA, Sept. 3 (Anadolu) - {body}\n")
    (tmp_path / "grain-talks.txt").write_text(text, encoding="utf-8")
    [doc] = read(tmp_path / "grain-talks.txt")
    assert doc.id == "grain-talks"
    assert doc.title == "Grain Corridor Talks Move Forward In Ankara"
    assert doc.feed_date == "2024-09-02"
    assert doc.dateline_date == "2024-09-03"
    assert doc.published == "2024-09-03"
    assert doc.dateline_place == "Ankara"
    assert doc.source == "Anadolu"
    assert doc.text == text
    assert text[doc.body_start:].startswith(body)
    assert doc.origin == str(tmp_path / "grain-talks.txt")


def test_inline_metadata_date_followed_by_dateline_on_the_same_line():
    text = " date 2023-12-31 OSLO, Jan. 2. /NTB/. The parliament opened its session.\n"
    doc = document_from_text(text, "oslo")
    assert doc.feed_date == "2023-12-31"
    # The year is the one that puts the dateline nearest the feed date: January of the next year.
    assert doc.dateline_date == "2024-01-02"
    assert doc.dateline_place == "Oslo"
    assert doc.source == "NTB"
    assert text[doc.body_start:].startswith("The parliament")


@pytest.mark.parametrize("opening, place, outlet", [
    ("MOSCOW, March 3 (Reuters) - ", "Moscow", "Reuters"),
    ("KYIV, Ukraine (AP) — ", "Kyiv", "AP"),
    ("BEIJING, Jan. 5 (Xinhua) -- ", "Beijing", "Xinhua"),
    ("LONDON — ", "London", None),
    ("NEW DELHI: ", "New Delhi", None),
    ("RIO DE JANEIRO, May 4 (EFE) - ", "Rio de Janeiro", "EFE"),
])
def test_dateline_forms(opening, place, outlet):
    body = "Officials signed a memorandum on fisheries."
    doc = document_from_text(opening + body, "d")
    assert doc.dateline_place == place
    assert doc.source == outlet
    assert doc.text[doc.body_start:] == body


def test_dateline_year_from_other_dates_in_the_file_or_unknown():
    dated = document_from_text("PRAGUE, March 3 (CTK) - The talks set for March 1, 2021 were delayed.", "p")
    assert dated.dateline_date == "2021-03-03" and dated.date_source == "inferred"
    assert "'March 3' has no year: assumed 2021-03-03" in dated.date_note
    undated = document_from_text("PRAGUE, March 3 (CTK) - The talks were delayed again.", "p")
    today = dt.date.today()
    expected = dt.date(today.year if (today.month, today.day) >= (3, 3) else today.year - 1, 3, 3)
    assert undated.dateline_date == expected.isoformat() and "most recent such day not after today" in undated.date_note
    assert undated.dateline_place == "Prague" and undated.source == "CTK"
    assert infer_date(undated, dt.date(2019, 8, 1)).dateline_date == "2019-03-03"


def test_feed_date_and_dateline_disagree_both_are_kept():
    doc = document_from_text("date: 2022-05-01\nTOKYO, May 2 (Kyodo) - The cabinet approved a budget.", "t")
    assert (doc.feed_date, doc.dateline_date) == ("2022-05-01", "2022-05-02")
    assert doc.published == "2022-05-02"


def test_sentences_that_only_look_like_datelines_are_body():
    for text in ("NATO said it would send more ships to the region.",
                 "The President met the envoy on Monday. Talks went well.",
                 "Recent meetings between the two sides produced\nvery few results so far."):
        doc = document_from_text(text, "x")
        assert doc.dateline_place is None and doc.body_start == 0 and doc.title is None


def test_metadata_lines_fill_fields_and_body_starts_after_them():
    text = ("Source: Harbour Gazette\nurl: https://example.org/story/7\nPublished: June 10, 2025\n\n"
            "The port authority closed two terminals.")
    doc = document_from_text(text, "port")
    assert doc.source == "Harbour Gazette"
    assert doc.url == "https://example.org/story/7"
    assert doc.feed_date == "2025-06-10"
    assert text[doc.body_start:] == "The port authority closed two terminals."


def test_headline_in_sentence_case_needs_a_blank_line():
    doc = document_from_text("Ministers agree on a joint water plan\n\nThe ministers met at the dam.", "w")
    assert doc.title == "Ministers agree on a joint water plan"
    wrapped = document_from_text("Ministers from both countries agreed on a joint water\nplan for the dam.", "w")
    assert wrapped.title is None and wrapped.body_start == 0


def test_sentence_case_headline_directly_above_a_dateline():
    text = "Fishing fleets return to port as storm nears\nBERGEN, Oct. 3 (NTB) - Dozens of trawlers came in early."
    doc = document_from_text(text, "f")
    assert doc.title == "Fishing fleets return to port as storm nears"
    assert (doc.dateline_place, doc.source) == ("Bergen", "NTB")
    assert text[doc.body_start:] == "Dozens of trawlers came in early."


def test_lower_cased_dateline_place_needs_date_and_outlet():
    doc = document_from_text("date: 2024-10-03\nbergen, Oct. 3 (NTB) - The trawlers came in.", "f")
    assert (doc.dateline_place, doc.dateline_date, doc.source) == ("Bergen", "2024-10-03", "NTB")
    plain = document_from_text("bergen - the trawlers came in.", "f")
    assert plain.dateline_place is None and plain.body_start == 0


def test_attribution_gives_outlet_and_original_source():
    text = ("Envoys Trade Notes On Embassy Staffing\n"
            "The two envoys exchanged notes about staffing levels.\n"
            "(This article draws on a piece originally published by Dagens Nyheter and "
            "translated and edited by The Local.)")
    doc = document_from_text(text, "a")
    assert doc.source == "Local"
    assert doc.original_source == "Dagens Nyheter"
    assert doc.title == "Envoys Trade Notes On Embassy Staffing"


@pytest.mark.parametrize("tail, source, original", [
    ("The interview first appeared in Le Monde.", None, "Le Monde"),
    ("(With reporting by Reuters)", None, "Reuters"),
    ("Source: Baltic News Service", "Baltic News Service", None),
    ("Kommersant reported the details, according to Interfax.", "Interfax", "Kommersant"),
    ("The minister said so, according to his spokesman.", None, None),
    ("(With reporting by Anna Petrova in Riga)", None, None),
])
def test_attribution_wordings(tail, source, original):
    doc = document_from_text("The council voted on the budget.\n" + tail, "b")
    assert (doc.source, doc.original_source) == (source, original)


def test_dateline_outlet_is_not_overwritten_by_a_weaker_attribution():
    doc = document_from_text("SOFIA, April 2 (BTA) - The cabinet resigned.\nSource: Novinite", "s")
    assert doc.source == "BTA"
    assert doc.original_source == "Novinite"


# ------------------------------------------------------------------ encodings and bad files

def test_utf16_and_utf8_bom_files_are_decoded(tmp_path):
    text = "VILNIUS, Feb. 9 (BNS) - Lithuania’s parliament approved the treaty."
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "u8.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "u16be-nobom.txt").write_bytes(text.encode("utf-16-be"))
    found = docs(read(tmp_path / "u16.txt", tmp_path / "u8.txt", tmp_path / "u16be-nobom.txt"))
    assert [d.text for d in found] == [text, text, text]
    assert {d.dateline_place for d in found} == {"Vilnius"}


def test_binary_empty_undecodable_and_missing_files_are_reported(tmp_path):
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_bytes(b"  \n\n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 talks".encode("latin-1"))
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4")
    records = read(tmp_path / "blob.txt", tmp_path / "empty.txt", tmp_path / "latin1.txt",
                   tmp_path / "paper.pdf", tmp_path / "absent.txt")
    reasons = {Path(s.origin).name: s.reason for s in skips(records)}
    assert len(records) == 5
    assert "binary" in reasons["blob.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert "cannot decode as UTF-8" in reasons["latin1.txt"]
    assert "unsupported file type" in reasons["paper.pdf"]
    assert reasons["absent.txt"] == "no such file or directory"


# ------------------------------------------------------------------ JSON records

def test_jsonl_reports_every_bad_line_and_keeps_reading(tmp_path):
    lines = [
        json.dumps({"id": "a1", "title": "Port reopens", "date": "Tue, 10 Jun 2025 08:00:00 GMT",
                    "source": "Coast Wire", "url": "https://example.org/a1", "text": "The port reopened."}),
        '{"id": "a2", "text": "unterminated',
        json.dumps({"id": "a3", "title": "No body"}),
        json.dumps({"id": "a4", "text": 42}),
        json.dumps({"id": "a1", "text": "Same id again."}),
        "",
        json.dumps({"published": "2025-06-09T22:15:00+02:00", "text": "A record without an id.",
                    "original_source": "Harbour Gazette"}),
        json.dumps({"id": "a7", "title": ["not", "a", "string"], "text": "Typed wrong."}),
        json.dumps(["not", "an", "object"]),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = read(path)
    good = docs(records)
    assert [d.id for d in good] == ["a1", "batch-7"]
    assert good[0].feed_date == "2025-06-10" and good[0].source == "Coast Wire"
    assert good[0].title == "Port reopens" and good[0].url == "https://example.org/a1"
    assert good[1].feed_date == "2025-06-09" and good[1].original_source == "Harbour Gazette"
    assert good[1].origin == f"{path}:7"
    reasons = {s.origin.rsplit(":", 1)[1]: s.reason for s in skips(records)}
    assert reasons["2"].startswith("JSON error at line 2")
    assert reasons["3"] == "missing text"
    assert reasons["4"] == "wrong type for field text (expected string, got integer)"
    assert reasons["5"].startswith("duplicate id a1")
    assert reasons["8"] == "wrong type for field title (expected string, got array)"
    assert "expected an object" in reasons["9"]
    assert len(records) == 8  # one per non-blank line: nothing dropped silently


def test_json_file_with_a_list_or_one_object(tmp_path):
    (tmp_path / "many.json").write_text(json.dumps([
        {"id": "m1", "text": "First report."}, {"id": "m2", "text": "  "}]), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"text": "Only report.", "date": "June 3, 2024"}),
                                       encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"text": "x",\n  "id": }', encoding="utf-8")
    records = read(tmp_path / "many.json", tmp_path / "one.json", tmp_path / "broken.json")
    assert [(d.id, d.feed_date) for d in docs(records)] == [("m1", None), ("one", "2024-06-03")]
    reasons = [s.reason for s in skips(records)]
    assert reasons[0] == "empty text"
    assert reasons[1].startswith("JSON error at line 2")


# ------------------------------------------------------------------ HTML, feeds, Parquet

def test_html_page_through_trafilatura(tmp_path):
    paragraph = ("TALLINN, Oct. 14 (ERR) - Estonia's government approved a plan to expand the "
                 "border fence along the eastern frontier, the interior minister told reporters.")
    second = ("The plan foresees new watchtowers and sensors, and the work is expected to "
              "start next spring after the tender closes, the ministry added in a statement.")
    html = f"""<html><head><title>Fence plan approved | North Wire</title>
    <meta property="og:site_name" content="North Wire">
    <meta property="article:published_time" content="2024-10-14T09:00:00+03:00">
    <link rel="canonical" href="https://example.org/fence"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Fence plan approved</h1><p>{paragraph}</p><p>{second}</p></article>
    <footer>All rights reserved</footer></body></html>"""
    (tmp_path / "fence.html").write_text(html, encoding="utf-8")
    [doc] = read(tmp_path / "fence.html")
    assert doc.id == "fence"
    assert doc.title == "Fence plan approved"
    assert doc.source == "North Wire"
    assert doc.original_source == "ERR"
    assert doc.feed_date == "2024-10-14"
    assert doc.dateline_place == "Tallinn" and doc.dateline_date == "2024-10-14"
    assert "Home" not in doc.text and "rights reserved" not in doc.text
    assert doc.text[doc.body_start:].startswith("Estonia's government")


def test_rss_feed_entries(tmp_path):
    feed = """<?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0"><channel><title>Lake Times</title><link>https://example.org</link>
    <item><title>Ferry line resumes</title><link>https://example.org/ferry</link>
      <guid>ferry-1</guid><pubDate>Mon, 09 Jun 2025 18:30:00 +0000</pubDate>
      <description>&lt;p&gt;The ferry line &lt;b&gt;resumed&lt;/b&gt; service.&lt;/p&gt;&lt;p&gt;Two boats run daily.&lt;/p&gt;</description>
    </item>
    <item><title>Empty item</title><guid>empty-2</guid><description></description></item>
    </channel></rss>"""
    path = tmp_path / "lake.rss"
    path.write_text(feed, encoding="utf-8")
    records = read(path)
    [doc] = docs(records)
    assert doc.id == "ferry-1"
    assert doc.title == "Ferry line resumes"
    assert doc.url == "https://example.org/ferry"
    assert doc.feed_date == "2025-06-09"
    assert doc.source == "Lake Times"
    assert doc.text == "The ferry line resumed service.\nTwo boats run daily."
    assert skips(records) == [Skipped(f"{path}:2", "missing text")]


def test_atom_feed_entry_with_html_content(tmp_path):
    feed = """<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title>
      <entry><title>Bridge reopened</title><id>urn:valley:bridge</id>
        <link href="https://example.org/bridge"/><updated>2024-11-02T07:45:00+01:00</updated>
        <content type="html">&lt;p&gt;Engineers reopened the bridge to traffic.&lt;/p&gt;</content>
      </entry></feed>"""
    (tmp_path / "valley.atom").write_text(feed, encoding="utf-8")
    [doc] = read(tmp_path / "valley.atom")
    assert (doc.id, doc.title, doc.url) == ("urn:valley:bridge", "Bridge reopened", "https://example.org/bridge")
    assert (doc.feed_date, doc.source) == ("2024-11-02", "Valley Courier")
    assert doc.text == "Engineers reopened the bridge to traffic."


def test_xml_that_is_not_a_feed_is_reported(tmp_path):
    (tmp_path / "config.xml").write_text("<settings><a>1</a></settings>", encoding="utf-8")
    [skip] = read(tmp_path / "config.xml")
    assert isinstance(skip, Skipped) and "feed" in skip.reason


def test_parquet_rows(tmp_path):
    table = pa.table({
        "id": ["p1", None, "p3"],
        "title": ["Dam talks", None, None],
        "date": ["2025-01-20", "20 January 2025", None],
        "text": ["Engineers inspected the dam.", "Villagers returned home.", None],
    })
    path = tmp_path / "rows.parquet"
    pq.write_table(table, path)
    records = read(path)
    assert [(d.id, d.feed_date) for d in docs(records)] == [("p1", "2025-01-20"), ("rows-2", "2025-01-20")]
    assert skips(records) == [Skipped(f"{path}:3", "missing text")]
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    [bad] = read(tmp_path / "bad.parquet")
    assert isinstance(bad, Skipped) and bad.reason.startswith("cannot read Parquet")


# ------------------------------------------------------------------ directories and stdin

def test_directory_is_read_recursively_sorted_skipping_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "second.txt").write_text("The second report.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The first report.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("Not to be read.", encoding="utf-8")
    (tmp_path / ".notes.txt").write_text("Not to be read either.", encoding="utf-8")
    assert [d.id for d in docs(read(tmp_path))] == ["a", "second"]
    (tmp_path / "void").mkdir()
    assert read(tmp_path / "void") == [Skipped(str(tmp_path / "void"), "directory holds no files")]


def test_stdin_as_plain_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("RIGA, May 5 (LETA) - The mayor resigned.\n"))
    [doc] = read("-")
    assert (doc.id, doc.origin, doc.dateline_place, doc.source) == ("stdin", "stdin", "Riga", "LETA")


def test_stdin_as_jsonl(monkeypatch):
    payload = '{"id": "s1", "text": "One."}\n\n{"text": "Two."}\n{"id": "s3"}\n'
    monkeypatch.setattr(sys, "stdin", io.StringIO(payload))
    records = read("-")
    assert [d.id for d in docs(records)] == ["s1", "stdin-3"]
    assert skips(records) == [Skipped("stdin:4", "missing text")]


def test_strip_html_keeps_paragraphs_and_drops_scripts():
    assert strip_html("<p>A &amp; B</p><script>x()</script><p>C<br>D</p>") == "A & B\nC\nD"
    assert strip_html("plain words") == "plain words"


# ------------------------------------------------------------------ the real sample reports

@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"sample reports not present at {SEEDS}")
def test_real_seed_reports():
    found = {d.id[:3]: d for d in docs(read(SEEDS))}
    tass = found["001"]
    assert tass.feed_date == "2025-06-10"
    assert tass.dateline_date == "2025-06-11"
    assert tass.dateline_place == "Washington"
    assert tass.source == "TASS"
    assert tass.text[tass.body_start:tass.body_start + 6] == "Russia"
    rt = found["000"]
    assert rt.title and not rt.title.endswith(".")
    assert rt.feed_date is None and rt.dateline_date is None
    assert rt.source == "RT"
    assert rt.original_source == "Kommersant"
    assert rt.body_start == rt.text.index("\n") + 1
