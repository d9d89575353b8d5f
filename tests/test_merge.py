"""Cross-document merging: the checks on types, parties, dates, places and documents, linkage that never
chains look-alikes together, explanations and GDELT-style counts; wording through the real MiniLM model."""

from __future__ import annotations

import numpy as np
import pytest

from cablegram.consolidate.merge import Wording, date_span, merge_events
from cablegram.models import Event, Location, Mention, Party

SAME = np.ones(384, dtype=np.float32) / np.sqrt(384)


def ev(doc, etype, actor, recipient, date=None, date_text="on Monday", published="2025-03-04", source=None,
       start=0, sentence="The two sides met.", location=None, eid=None, status="occurred"):
    m = Mention(doc_id=doc, sentence=sentence, start=start, end=start + len(sentence),
                source=source or f"outlet {doc}", published=published)
    e = Event(event_type=etype, actor=Party(actor, actor), recipient=Party(recipient, recipient) if recipient else None,
              date=date, date_text=date_text if date else None, status=status, mentions=[m],
              location=Location(location, location[:3].upper()) if location else None)
    e.id = eid or f"ev_{doc}_{start}_{etype}"
    return e


def wording(vecs, objects=None):
    """Given sentence vectors and, optionally, content phrases with one-hot phrase vectors per distinct phrase."""
    objects = objects or [[] for _ in range(len(vecs))]
    names = sorted({p for ps in objects for p in ps})
    onehot = {p: np.eye(384, dtype=np.float32)[100 + k] for k, p in enumerate(names)}
    return Wording(np.asarray(vecs, dtype=np.float32), objects,
                   [np.stack([onehot[p] for p in ps]) if ps else np.zeros((0, 384), dtype=np.float32) for ps in objects])


def vectors(n, groups=None):
    """Unit vectors: events in the same group are identical, different groups orthogonal."""
    groups = groups or [0] * n
    out = np.zeros((n, 384), dtype=np.float32)
    for i, g in enumerate(groups):
        out[i, g] = 1.0
    return wording(out)


def merged_sets(result):
    return sorted(sorted(ids) for ids in result.members.values())


def test_same_event_in_two_documents_is_merged_with_counts_and_explanation():
    a = ev("d1", "CONSULT", "RUS", "USA", "2025-03-03", source="TASS")
    b = ev("d2", "CONSULT", "USA", "RUS", "2025-03-03", source="RT", location="Istanbul")
    c = ev("d3", "CONSULT", "RUS", "USA", "2025-03-03", source="TASS")
    res = merge_events([a, b, c], vectors(3))
    assert len(res.events) == 1
    out = res.events[0]
    assert out.num_articles == 3 and out.num_sources == 2
    assert {m.doc_id for m in out.mentions} == {"d1", "d2", "d3"}
    assert out.id == min(a.id, b.id, c.id)
    assert len(out.merge) == 2 and "either order" in " ".join(s["parties"] for s in out.merge)
    d = out.to_dict()
    assert d["num_sources"] == 2 and d["num_articles"] == 3 and d["merge"][0]["similarity"] == 1.0


def test_two_rounds_on_different_days_stay_apart_and_undated_report_joins_only_one():
    r1a = ev("d1", "CONSULT", "NOR", "ISL", "2025-03-03")
    r1b = ev("d2", "CONSULT", "ISL", "NOR", "2025-03-03")
    r2 = ev("d3", "CONSULT", "NOR", "ISL", "2025-03-24")
    undated = ev("d4", "CONSULT", "NOR", "ISL", None)
    res = merge_events([r1a, r1b, r2, undated], vectors(4))
    sets = merged_sets(res)
    assert any({r1a.id, r1b.id} <= set(s) for s in sets)
    assert not any({r1a.id, r2.id} <= set(s) or {r1b.id, r2.id} <= set(s) for s in sets)
    assert sum(undated.id in s for s in sets) == 1


def test_asymmetric_events_keep_direction_and_different_actors_stay_apart():
    a = ev("d1", "SANCTION", "POL", "BLR", "2025-09-08")
    b = ev("d2", "SANCTION", "BLR", "POL", "2025-09-08")
    c = ev("d3", "SANCTION", "LTU", "BLR", "2025-09-08")
    d = ev("d4", "SANCTION", "POL", None, "2025-09-08")
    res = merge_events([a, b, c, d], vectors(4))
    assert merged_sets(res) == sorted(sorted(s) for s in ([a.id, d.id], [b.id], [c.id]))


def test_dates_coarser_and_report_dates_are_compatible_within_limits():
    fine = ev("d1", "SUPPORT", "CHL", "ARG", "2025-05-14")
    month = ev("d2", "SUPPORT", "CHL", "ARG", "2025-05", date_text="in May")
    assert len(merge_events([fine, month], vectors(2)).events) == 1
    # dated only by its report (published the next day): compatible with a stated day just before
    reported = ev("d3", "SUPPORT", "CHL", "ARG", "2025-05-15", date_text=None, published="2025-05-15")
    assert date_span(reported)[1].isoformat() == "2025-05-15"
    assert len(merge_events([fine, reported], vectors(2)).events) == 1
    late = ev("d4", "SUPPORT", "CHL", "ARG", "2025-06-30", date_text=None, published="2025-06-30")
    assert len(merge_events([fine, late], vectors(2)).events) == 2


def test_same_document_status_place_and_type_block_a_merge():
    a = ev("d1", "CONSULT", "RUS", "USA", "2025-03-03", start=0)
    b = ev("d1", "CONSULT", "RUS", "USA", "2025-03-03", start=50)
    assert len(merge_events([a, b], vectors(2)).events) == 2
    planned = ev("d2", "CONSULT", "RUS", "USA", "2025-03-03", status="planned")
    assert len(merge_events([a, planned], vectors(2)).events) == 2
    oslo = ev("d3", "CONSULT", "RUS", "USA", "2025-03-03", location="Oslo")
    oslo.location.country = "NOR"
    rome = ev("d4", "CONSULT", "RUS", "USA", "2025-03-03", location="Rome")
    rome.location.country = "ITA"
    res = merge_events([oslo, rome], vectors(2))
    assert len(res.events) == 2 and [n.reason for n in res.near_misses] == ["place"]
    accuse = ev("d5", "ACCUSE", "RUS", "USA", "2025-03-03")
    assert len(merge_events([a, accuse], vectors(2)).events) == 2


HALF = np.zeros((2, 384), dtype=np.float32)
HALF[0, 0], HALF[1, 0], HALF[1, 1] = 1.0, 0.5, np.sqrt(0.75)  # cosine 0.5


def test_compatible_types_merge_but_need_closer_wording():
    agree = ev("d1", "AGREE", "RUS", "USA", "2025-04-10")
    support = ev("d2", "SUPPORT", "USA", "RUS", "2025-04-10")
    assert len(merge_events([agree, support], wording(np.stack([SAME, SAME]))).events) == 1
    assert len(merge_events([agree, support], wording(HALF)).events) == 2  # 0.5: enough for one type, not two
    same_type = ev("d2", "AGREE", "USA", "RUS", "2025-04-10")
    res = merge_events([agree, same_type], wording(HALF))
    assert len(res.events) == 1 and res.events[0].merge[0]["evidence"] == "same stated day 2025-04-10"


def test_without_a_stated_day_the_object_must_match_or_the_wording_be_close():
    a = ev("d1", "REQUEST", "RUS", "USA", None)
    b = ev("d2", "REQUEST", "RUS", "USA", None)
    same = merge_events([a, b], wording(HALF, [["diplomatic property"], ["diplomatic property", "return"]]))
    assert len(same.events) == 1 and same.events[0].merge[0]["evidence"].startswith("same object: diplomatic property")
    assert len(merge_events([a, b], wording(HALF, [["visa issue"], ["diplomatic property"]])).events) == 2
    assert len(merge_events([a, b], wording(HALF)).events) == 2
    res = merge_events([a, b], wording(np.stack([SAME, SAME]), [["visa issue"], ["diplomatic property"]]))
    assert len(res.events) == 1 and res.events[0].merge[0]["evidence"].startswith("wording alone")


def test_unrelated_wording_stays_apart():
    a = ev("d1", "AGREE", "RUS", "USA", None)
    b = ev("d2", "AGREE", "RUS", "USA", None)
    assert len(merge_events([a, b], vectors(2, [0, 1])).events) == 2


@pytest.fixture(scope="module")
def embedder():
    from cablegram.nlp import load_embedder
    return load_embedder()


def test_real_wording_similarity_merges_paraphrases_only(embedder):
    deal = ev("d1", "AGREE", "ARG", "CHL", None,
              sentence="Argentina and Chile agreed to send more natural gas through their border pipelines.")
    same_deal = ev("d2", "SUPPORT", "CHL", "ARG", None,
                   sentence="Chile and Argentina signed a deal to expand cross-border gas exports by pipeline.")
    other = ev("d3", "AGREE", "CHL", "ARG", None,
               sentence="The two presidents promised to build a joint observatory for astronomers in the desert.")
    res = merge_events([deal, same_deal, other])
    assert merged_sets(res) == sorted(sorted(s) for s in ([deal.id, same_deal.id], [other.id]))
    assert res.events[0].merge and res.events[0].merge[0]["types"] == "AGREE ~ SUPPORT (compatible)"


def test_near_misses_are_close_days_or_other_parties_on_the_same_day_only():
    a = ev("d1", "SANCTION", "POL", "BLR", "2025-09-08")
    next_day = ev("d2", "SANCTION", "POL", "BLR", "2025-09-09")
    weeks_later = ev("d3", "SANCTION", "POL", "BLR", "2025-09-29")
    other_actor = ev("d4", "SANCTION", "LTU", "BLR", "2025-09-08")
    reported = ev("d5", "SANCTION", "LTU", "BLR", "2025-09-09", date_text=None, published="2025-09-09")
    res = merge_events([a, next_day, weeks_later, other_actor, reported], vectors(5))
    found = sorted((n.a.id, n.b.id, n.reason) for n in res.near_misses)
    assert (a.id, next_day.id, "date") in found and (a.id, other_actor.id, "parties") in found
    assert not any(weeks_later.id in (x, y) for x, y, _ in found)
    assert not any(reported.id in (x, y) and r == "parties" for x, y, r in found)


def test_a_texts_vector_is_the_same_alone_and_in_any_batch(embedder):
    """Consolidation embeds a whole batch of blocks at once (cache.prepare) and Spark's groups embed their own
    texts: results stay identical only if a text's vector does not depend on what it was embedded with."""
    texts = ["sanctions", "diplomatic property", "Russia and the United States agreed on Tuesday to resume "
             "talks on strategic arms control in Geneva next month, the two foreign ministries said.",
             "The ministers discussed the return of six diplomatic properties seized in 2016.", "visa ban"]
    alone = np.stack([embedder.encode([t])[0] for t in texts])
    assert np.array_equal(embedder.encode(texts), alone)
    assert np.array_equal(embedder.encode(texts[::-1] + ["a much longer text " * 20])[:len(texts)][::-1], alone)
    assert np.array_equal(embedder.encode(texts, batch_size=2), alone)
