"""A blank line ends a sentence. Reports put a headline without a full stop above the lead, and the parser
otherwise reads the two as one sentence, so the lead's subject and act are lost."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first word after a run of white space that holds a blank line."""
    for tok in doc[1:]:
        before = doc[tok.i - 1]
        if before.is_space and before.text.count("\n") >= 2 and not tok.is_space:
            tok.is_sent_start = True
    return doc
