"""The YIELD split: PLOVER 2.0's RETREAT (material, carried out) versus CONCEDE (verbal or promised).

Rule, from the codebook's CONCEDE and RETREAT sections and the CAMEO 08 table: a yield
is RETREAT when the sentence carries a material-retreat cue (release or return people or
property, withdraw or pull back forces, disarm, demobilise, surrender, cede, a truce or
ceasefire, ease sanctions/embargo/blockade/curfew/emergency rule, let in observers,
peacekeepers or aid, resign) and no marker of a future or promised act; every other yield
is CONCEDE (apologies and regret, pardons and amnesties, acceding to demands, easing
political restrictions, backing down, and announced or promised retreats).
"""

from __future__ import annotations

import re

RETREAT_CUES = re.compile(
    r"\b(releas\w*|fre(e|ed|es|eing)|set free|return(s|ed|ing)?|hand(s|ed|ing)? (over|back)|handover"
    r"|withdr[ae]w\w*|pull(s|ed|ing)? (out|back)|pullout|pullback|evacuat\w*|retreat\w*|disarm\w*"
    r"|demobili[sz]\w*|surrender\w*|ced(e|ed|es|ing)|truce|cease-?fire|lay(s|ing)? down|laid down"
    r"|(lift|eas|loosen|relax)\w* (the |its |their |some |all )?(sanction|embargo|blockade|curfew|state of emergency"
    r"|martial law|siege)\w*|(allow|let|admit|grant)\w* (in |entry |access )?\w* ?(inspector|observer|monitor"
    r"|peacekeep|aid|humanitarian)\w*|resign\w*|step(s|ped|ping)? down|repatriat\w*)\b"
)
FUTURE_CUES = re.compile(
    r"\b(will|would|shall|'ll|going to|plan(s|ned)? to|intend\w* to|promis\w*|pledg\w*|vow\w*|offer\w* to"
    r"|agree\w* to|ready to|willing to|prepared to|expected to|announc\w*|consider\w*|could|may|might)\b"
)


def yield_subtype(text: str) -> tuple[str, float]:
    """RETREAT or CONCEDE for a sentence already typed as a yield, with the rule's confidence."""
    low = text.lower()
    if RETREAT_CUES.search(low) and not FUTURE_CUES.search(low):
        return "RETREAT", 0.85
    return "CONCEDE", 0.8 if not RETREAT_CUES.search(low) else 0.7
