"""Party resolution: the words naming an actor or recipient -> country (alpha-3 or IGO code) and PLOVER sectors.

`resolve.py` reads titles, appositions, possessives and places; `coreference.py` remembers the people a report
names; `people.py` is the dated dictionary of office holders consulted when the text gives no country.
"""

from .coreference import ActorMemory, Person
from .resolve import TITLE_GLUE, ActorResolver, Entry, Lexicon, Title, _lexicon, load_resolver

__all__ = ["TITLE_GLUE", "ActorMemory", "ActorResolver", "Entry", "Lexicon", "Person", "Title", "_lexicon",
           "load_resolver"]
