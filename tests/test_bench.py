"""The benchmark feed is varied and repeatable, and `cablegram bench --json` reports both passes."""

import json

from typer.testing import CliRunner

from cablegram.bench_corpus import articles
from cablegram.cli import app


def test_feed_is_repeatable_and_varied():
    a, b = list(articles(40, seed=5)), list(articles(40, seed=5))
    assert [d.text for d in a] == [d.text for d in b]
    assert len({d.text for d in a}) == 40
    assert len({d.text[d.body_start:].split(".")[0] for d in a}) >= 30  # first sentences differ too
    for d in a:
        assert d.text[d.body_start:d.body_start + 1].isupper() and d.published
        assert 60 <= len(d.text.split()) <= 600


def test_bench_json_reports_both_passes_and_their_ratio():
    result = CliRunner().invoke(app, ["bench", "--docs", "12", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    (round_,) = figures["rounds"]
    for name in ("spacy", "cablegram"):
        assert round_[name]["docs_per_s"] > 0 and round_[name]["peak_mb"] > 50
        assert round_[name]["words"] == round_["spacy"]["words"]
    assert round_["cablegram"]["events"] > 0
    assert abs(round_["ratio"] - round_["cablegram"]["docs_per_s"] / round_["spacy"]["docs_per_s"]) < 0.01


def test_near_duplicate_groups_join_reworded_copies_and_their_chains_only():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "near_duplicates", Path(__file__).parent.parent / "benchmarks" / "near_duplicates.py")
    nd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nd)
    texts = ["The army trains pilots of the air force in the north",
             "The army trained pilots of the air force in the north",  # reworded copy of the first
             "The army trained pilots of the air force in the south today",  # a copy of the copy
             "Ministers signed a trade accord in Lima on Monday"]
    g = nd.groups(texts, threshold=0.5)
    assert g[0] == g[1] == g[2] and g[3] != g[0]
    assert len(set(nd.groups(texts, threshold=0.99))) == 4
