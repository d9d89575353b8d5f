"""Features of a candidate (actor, recipient-or-none) pair: where each party stands in the parse, the path
between them, the words that govern them, and what the trigger lexicon says of those words (a prior the model
weighs, never a gate)."""

from __future__ import annotations

from spacy.tokens import Token

from ..coding.lexicon import REPORTING_VERBS
from ..coding.triggers import sense
from .acts import prior_sense
from .candidates import Mention

MAX_PATH = 6
CONTENT = frozenset({"VERB", "NOUN", "ADJ", "ADV", "ADP", "AUX", "PART"})


def _governed(tok: Token) -> Token:
    """The token whose relation to the rest of the clause is this mention's: a coordinated or apposed party
    ("A, B and C recognised ...") stands where the first of them stands."""
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _role(tok: Token) -> tuple[str, Token]:
    """The relation of a mention to its governor ('nsubj', 'pobj:with', 'poss', ...) and that governor."""
    tok = _governed(tok)
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        return "agent", tok.head.head
    if tok.dep_ == "pobj":
        return f"pobj:{tok.head.lower_}", tok.head.head
    return tok.dep_, tok.head


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def _path(a: Token, b: Token) -> tuple[list[str], Token, list[str]]:
    """Dependency labels up from a to the lowest common ancestor, that ancestor, and labels down to b."""
    up_a, up_b = _ancestors(a), _ancestors(b)
    on_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in on_b:
            return [x.dep_ for x in up_a[:n]], t, [x.dep_ for x in reversed(up_b[:on_b[t.i]])]
    return [x.dep_ for x in up_a], up_a[-1], [x.dep_ for x in reversed(up_b)]


def _lexicon_type(tok: Token) -> str | None:
    entry = sense(tok)
    return entry.event_type if entry else None


def _clause_marks(pred: Token) -> list[str]:
    marks = []
    kids = list(pred.children)
    if any(c.dep_ == "neg" for c in kids):
        marks.append("neg")
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in kids):
        marks.append("passive")
    if any(c.lower_ in ("will", "would", "'ll", "shall") for c in kids):
        marks.append("future")
    if pred.lemma_.lower() in REPORTING_VERBS:
        marks.append("reporting")
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in kids):
        marks.append("condition")
    return marks


def _window(sent_tokens, lo: int, hi: int, limit: int = 8) -> list[str]:
    words = [t.lemma_.lower() for t in sent_tokens if lo <= t.i < hi and t.pos_ in CONTENT and not t.is_punct]
    return words[:limit]


def predicate(a: Mention, b: Mention | None) -> Token:
    """The word the event hangs on: the lowest common ancestor of the two parties, moved down the path to the
    recipient through coordinated verbs ("condemned the attack and recalled its envoy from X": recalled) and
    out of a reporting verb into the reported clause ("said it would suspend the treaty with X": suspend);
    for a lone party, or parties named together, their governor."""
    if b is None:
        return _role(a.head)[1]
    _, lca, _ = _path(_governed(a.head), _governed(b.head))
    if lca.i in (_governed(a.head).i, _governed(b.head).i) and lca.pos_ in ("PROPN", "NOUN", "PRON"):
        return _role(lca)[1]  # doers named together ("A and B signed"): the act they share
    below = [t for t in reversed(_ancestors(_governed(b.head))) if _is_below(t, lca)]
    cur = lca
    for t in below:
        if t.head.i != cur.i:
            continue
        if t.pos_ in ("VERB", "AUX") and (t.dep_ == "conj" or t.dep_ == "ccomp" and
                                          cur.lemma_.lower() in REPORTING_VERBS):
            cur = t
        else:
            break
    return cur


def _is_below(tok: Token, top: Token) -> bool:
    return any(t.i == top.i for t in _ancestors(tok)[1:])


def act_features(act: Token, primary: bool) -> list[str]:
    """What the act itself is: its word, the word it takes as object, the lexicon's reading of them, and
    whether it is the act the pair's parse path leads to or another act of the same doer."""
    entry = prior_sense(act)
    objs = [c for c in act.children if c.dep_ in ("dobj", "attr", "xcomp", "prt")]
    f = [f"act={act.lemma_.lower()}", f"actlex={entry.event_type if entry else None}",
         f"actmode={entry.mode if entry else None}", "primary" if primary else "sibling"]
    f += [f"actobj={c.lemma_.lower()}" for c in objs]
    f += [f"act_{m}" for m in _clause_marks(act)]
    return f


def pair_features(a: Mention, b: Mention | None, act: Token | None = None) -> list[str]:
    """Sparse binary features of one ordered candidate pair (b None: a acts with nobody named) and the act
    it is scored for (by default the predicate its parse path leads to)."""
    pred = predicate(a, b)
    extra = act_features(act if act is not None else pred, act is None or act.i == pred.i)
    return _pair_features(a, b) + extra


def _pair_features(a: Mention, b: Mention | None) -> list[str]:
    sent = a.head.sent
    arole, agov = _role(a.head)
    f = [f"ad={arole}", f"agov={agov.lemma_.lower()}", f"agovpos={agov.pos_}"]
    f += [f"asec={s}" for s in (a.party.sector[:1] if a.party else [])]
    if b is None:
        f.append("single")
        f += [f"s_{m}" for m in _clause_marks(agov)]
        lex = _lexicon_type(agov)
        f.append(f"lexgov={lex}")
        objs = [c for c in agov.children if c.dep_ in ("dobj", "attr", "xcomp", "ccomp")]
        f += [f"obj={c.dep_}:{c.lemma_.lower()}" for c in objs]
        f += [f"objlex={_lexicon_type(c)}" for c in objs]
        f += [f"sw={w}" for w in _window(sent, a.span.end, sent.end)]
        return f
    brole, bgov = _role(b.head)
    up, lca, down = _path(_governed(a.head), _governed(b.head))
    path = "^".join(up) + "|" + lca.pos_ + "|" + "v".join(down)
    if len(up) + len(down) > MAX_PATH:
        path = "long"
    f += [f"bd={brole}", f"ab={arole}>{brole}", f"bgov={bgov.lemma_.lower()}", f"path={path}",
          f"pathl={path}:{lca.lemma_.lower()}", f"lca={lca.lemma_.lower()}", f"lcapos={lca.pos_}",
          f"order={'ab' if a.head.i < b.head.i else 'ba'}", f"same_gov={agov.i == bgov.i}",
          f"dist={min(4, abs(a.head.i - b.head.i) // 4)}"]
    f += [f"bsec={s}" for s in (b.party.sector[:1] if b.party else [])]
    f += [f"m_{m}" for m in _clause_marks(lca)]
    f.append(f"lexlca={_lexicon_type(lca)}")
    f.append(f"lexbgov={_lexicon_type(bgov)}")
    f += [f"lexgov={_lexicon_type(agov)}"]
    if "ccomp" in down or "ccomp" in up:
        f.append("through_ccomp")
    lo, hi = sorted((a.span.end if a.head.i < b.head.i else b.span.end,
                     b.span.start if a.head.i < b.head.i else a.span.start))
    f += [f"w={w}" for w in _window(sent, lo, hi)]
    return f
