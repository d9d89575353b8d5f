"""Growing a block by its new events: a cluster rebuilt from its members is the merged event merging gives."""

from __future__ import annotations

from pathlib import Path

from cablegram.consolidate.cache import WordingCache
from cablegram.consolidate.grow import rebuild
from cablegram.consolidate.merge import describe_events, merge_events
from cablegram.pipeline import RunReport, code_paths


def test_a_cluster_rebuilt_from_its_members_is_the_merged_event_merging_gives(tmp_path: Path):
    import json

    from cablegram.bench_corpus import diplomatic_articles
    from cablegram.coding.coder import Coder

    corpus = tmp_path / "pair.jsonl"
    docs = diplomatic_articles(31, seed=3, days=(0, 10))
    corpus.write_text("".join(json.dumps({"id": d.id, "title": d.title, "date": d.feed_date, "source": d.source,
                                          "text": d.text}) + "\n" for d in docs), encoding="utf-8")
    events = sorted((e for _d, evs in code_paths([str(corpus)], Coder(), RunReport()) for e in evs), key=lambda e: e.id)
    cache = WordingCache()
    merged = merge_events(events, describe_events(events, cache))
    by_id = {e.id: e for e in events}
    groups = [(ev, [by_id[i] for i in merged.members[ev.id]]) for ev in merged.events if len(merged.members[ev.id]) > 2]
    assert len(groups) > 3
    for ev, group in groups:
        alone = merge_events(group, describe_events(group, cache)).events
        assert rebuild(group, cache).to_dict() == alone[0].to_dict() == ev.to_dict() and len(alone) == 1
        for new in ({group[-1].id}, {group[0].id, group[len(group) // 2].id}):
            rest = [e for e in group if e.id not in new]
            before = merge_events(rest, describe_events(rest, cache)).events
            tree = [step["joined"] for step in before[0].merge]
            assert len(before) == 1
            assert rebuild(group, cache, ([e.id for e in rest], tree)).to_dict() == ev.to_dict()
            assert rebuild(group, cache, ([e.id for e in rest], tree[1:])).to_dict() == ev.to_dict()  # not a tree
