"""Military moves as the codebook types them (MOBILIZE ambiguities): forces sent to an area or to show
strength are a MOBILIZE, where sending them to a country's aid is an AID; a military exercise held by one side
is a MOBILIZE, one held jointly a COOPERATE."""

from __future__ import annotations

from spacy.tokens import Token

MOVES = frozenset({"send", "dispatch", "deploy", "redeploy", "move", "order", "station", "position", "rush"})
FORCES = frozenset({"troop", "soldier", "force", "unit", "warship", "ship", "boat", "vessel", "jet", "aircraft",
                    "plane", "helicopter", "tank", "vehicle", "carrier", "missile", "battalion", "brigade",
                    "army", "navy", "reinforcement", "destroyer", "frigate", "drone"})
AREAS = frozenset({"border", "frontier", "region", "sea", "waters", "water", "area", "island", "strait", "zone",
                   "coast", "position", "line", "gulf", "flank", "base"})
SHOWS = frozenset({"surround", "deter", "monitor", "patrol", "guard", "counter", "intimidate", "encircle",
                   "blockade", "reinforce", "shadow", "watch"})


def forces_moved(act: Token) -> bool:
    """Forces sent to an area or to show strength ("sent warships to the Red Sea", "dispatched units to monitor
    the drills"), not to help someone: a MOBILIZE, where sending them to a country's aid is an AID."""
    if act.lemma_.lower() not in MOVES:
        return False
    objects = [o for o in act.children if o.dep_ == "dobj"]
    if not any(w.lemma_.lower() in FORCES for o in objects for w in (o, *o.conjuncts)):
        return False
    places = [g for p in act.children if p.dep_ == "prep" and p.lower_ in ("to", "into", "toward", "towards")
              for g in p.children if g.dep_ == "pobj"]
    purposes = [c for c in act.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"]
    return any(g.lemma_.lower() in AREAS for g in places) or any(c.lemma_.lower() in SHOWS for c in purposes)


EXERCISES = frozenset({"drill", "exercise", "manoeuvre", "maneuver", "wargame"})
JOINT_MARKS = frozenset({"joint", "combined", "bilateral", "trilateral", "multilateral", "multinational", "allied"})


def exercise(act: Token) -> Token | None:
    """The military exercise the act is or holds ("drills around Taiwan", "staged drills", "wrapped up three
    days of drills"), or None."""
    if military_exercise(act):
        return act
    for o in act.children:
        if o.dep_ in ("dobj", "nsubjpass"):
            for w in (o, *(g for p in o.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)):
                if military_exercise(w):
                    return w
    return None


def military_exercise(word: Token) -> bool:
    """A drill or an exercise of forces, not "an exercise of sovereignty"."""
    return word.pos_ == "NOUN" and word.lemma_.lower() in EXERCISES and \
        not any(p.dep_ == "prep" and p.lower_ == "of" for p in word.children)


def joint_exercise(drill: Token) -> bool:
    """The exercise is held with others: it, or an exercise its sentence tells ("opened joint exercises, with
    troops taking part in drills"), is called joint (or combined, multinational), or it is held with or
    alongside someone."""
    words = [drill, drill.head] if drill.dep_ in ("dobj", "pobj", "nsubjpass") else [drill]
    if any(c.lemma_.lower() in JOINT_MARKS for t in drill.sent if t.lemma_.lower() in EXERCISES for c in t.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("with", "alongside") for w in words for c in w.children)
