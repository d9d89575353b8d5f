"""What a sentence is about: its content phrases (noun chunks without function words, names of parties,
places, dates and numbers, actor titles and the words that only signal an event; of a noun chunk headed by
an event word, its noun modifier: 'travel restrictions' -> 'travel'). Used to compare the objects of two
events and to find the issues of a story."""

from __future__ import annotations

from functools import lru_cache

METHOD = "4"  # bump when clause or phrase extraction changes: stored parses of another method are not reused
SKIP_ENTS = frozenset({"GPE", "NORP", "PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "ORG", "LOC", "FAC",
                       "QUANTITY", "MONEY", "PERCENT"})
# Abstract nouns that frame a sentence but never name what a dispute is about.
FRAME_NOUNS = frozenset({"future", "way", "side", "part", "process", "question", "matter", "situation", "point",
                         "result", "example", "scope", "step", "need", "time", "progress", "improvement",
                         "country", "nation", "party", "today", "week", "month", "year", "day", "date",
                         "work", "area", "region", "number", "kind", "level", "end", "thing"})


@lru_cache(maxsize=1)
def skip_lemmas() -> frozenset[str]:
    """Head nouns that are no object: event words (talks, agreement), actor titles and institutions
    (ambassador, embassy, delegation, from the actor lexicons) and frame nouns."""
    from ..actors import load_resolver
    from ..coding.lexicon import trigger_words

    r = load_resolver()
    return trigger_words() | frozenset(k.split()[-1] for k in list(r.roles) + list(r.institutions)) | FRAME_NOUNS


def _content(doc, trigger: int | None = None) -> list[tuple[str, int]]:
    """(phrase, index of its head noun) for each content phrase of a parsed text; `trigger` is the index of
    the event's own word, whose modifiers say how it was done ('air strikes'), not what it acted on."""
    skip = skip_lemmas()
    out = []
    for chunk in doc.noun_chunks:
        words = [t for t in chunk
                 if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "ADJ", "PROPN", "VERB")
                 and t.ent_type_ not in SKIP_ENTS]
        if not words or words[-1].i != chunk.root.i or chunk.root.pos_ != "NOUN":
            continue  # the head noun itself must survive: "the talks" or "Russia" alone is no object
        if chunk.root.lemma_.lower() in skip:
            words = _modifier_object(words, chunk.root, skip, trigger)
            if not words:
                continue
        head = words[-1].i
        out.append((" ".join(t.lemma_.lower() if t.i == head else t.lower_ for t in words), head))
    return out


def _modifier_object(words, root, skip, trigger: int | None) -> list:
    """The object named by the modifiers of an event noun the event acts on: easing 'travel restrictions',
    lifting a 'visa ban' act on travel, visas. The words before the event noun, when the last is a noun
    attached to it (an adjective alone, 'economic sanctions', names no object). Not for the event's own
    word ('air strikes': how it was done) nor for a subject ('the air force shot down': who did it)."""
    if root.i == trigger or root.dep_ in ("nsubj", "csubj"):
        return []
    mods = [t for t in words if t.i < root.i]
    if not mods or mods[-1].pos_ != "NOUN" or mods[-1].head.i != root.i or mods[-1].lemma_.lower() in skip:
        return []
    return mods


def content_phrases(doc) -> list[str]:
    """Content phrases of one parsed sentence, head noun lemmatised: 'the six properties' -> 'property'."""
    return [p for p, _ in _content(doc)]


def _clause(tok):
    """The tokens of the clause an event word stands in: its governing verb's subtree without other
    coordinated verbs ('exchanged notes on X and agreed to Y' -> the part about X for 'exchanged'); a verb
    that only modifies a noun ('property seized in the US') takes the noun phrase with it."""
    head = tok
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        head = tok
    elif head.dep_ in ("acl", "relcl") and head.head.i != head.i:
        head = head.head
    drop = set()
    for child in head.children:
        if child.dep_ in ("conj", "cc") and not (child.left_edge.i <= tok.i <= child.right_edge.i):
            drop.update(range(child.left_edge.i, child.right_edge.i + 1))
    return [t for t in head.subtree if t.i not in drop]


def mention_texts(pairs: list[tuple[str, str | None]], nlp=None) -> dict[tuple[str, str | None], tuple[str, list[str]]]:
    """For each (sentence, trigger word): the text of the trigger's clause and its content phrases; the
    whole sentence when the trigger is not found. Each sentence is parsed once."""
    from ..nlp import load_spacy

    nlp = nlp or load_spacy()
    sentences = list(dict.fromkeys(s for s, _ in pairs))
    parsed = dict(zip(sentences, nlp.pipe(sentences)))
    out = {}
    for sentence, trigger in dict.fromkeys(pairs):
        doc = parsed[sentence]
        tok = next((t for t in doc if trigger and t.text == trigger), None)
        if tok is None:
            out[(sentence, trigger)] = (sentence, content_phrases(doc))
            continue
        keep = {t.i for t in _clause(tok)}
        text = "".join(t.text_with_ws for t in doc if t.i in keep).strip()
        out[(sentence, trigger)] = (text, [p for p, root in _content(doc, tok.i) if root in keep])
    return out
