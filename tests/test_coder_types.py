"""One plain news sentence per PLOVER type, written for these tests: the coder must give the type, the actor's
and the recipient's countries, and the day resolved against a publication date (Wednesday 14 May 2025)."""

import pytest

from cablegram.coding.coder import Coder
from cablegram.models import Document

CASES = [
    ("Morocco and Spain agreed to reopen the border crossings.", "AGREE", "MAR", "ESP", "2025-05-14"),
    ("Brazil's foreign minister visited Beijing on Monday.", "CONSULT", "BRA", "CHN", "2025-05-12"),
    ("Armenia's prime minister praised the French president.", "SUPPORT", "ARM", "FRA", "2025-05-14"),
    ("Indonesia's president welcomed the Malaysian prime minister to Jakarta on Monday.", "CONSULT", "IDN", "MYS",
     "2025-05-12"),
    ("Saudi Arabia pledged 500 million dollars in aid to Sudan.", "AGREE", "SAU", "SDN", "2025-05-14"),
    ("Indonesia apologised to Australia for the incident.", "CONCEDE", "IDN", "AUS", "2025-05-14"),
    ("Israel released 90 Palestinian prisoners on Sunday.", "RETREAT", "ISR", "PSE", "2025-05-11"),
    ("The United States eased sanctions on Syria on Friday.", "CONCEDE", "USA", "SYR", "2025-05-09"),
    ("Egypt called on Israel to allow aid into Gaza.", "REQUEST", "EGY", "ISR", "2025-05-14"),
    ("Poland accused Belarus of pushing migrants across the border.", "ACCUSE", "POL", "BLR", "2025-05-14"),
    ("Addis Ababa accused Mogadishu of bad faith on Monday.", "ACCUSE", "ETH", "SOM", "2025-05-12"),
    ("Kuala Lumpur accused Phnom Penh of bad faith on Monday.", "ACCUSE", "MYS", "KHM", "2025-05-12"),
    ("Germany summoned the Iranian ambassador on Tuesday over the execution.", "ACCUSE", "DEU", "IRN", "2025-05-13"),
    ("Venezuela rejected the Guyanese proposal on Thursday.", "REJECT", "VEN", "GUY", "2025-05-08"),
    ("Canada refused to extradite the suspect to India.", "REJECT", "CAN", "IND", "2025-05-14"),
    ("Chile called off a planned visit by Peru's foreign minister on Monday.", "REJECT", "CHL", "PER", "2025-05-12"),
    ("Mali broke off relations with Ukraine on Sunday.", "SANCTION", "MLI", "UKR", "2025-05-11"),
    ("Ethiopia threatened to use force against Eritrea.", "THREATEN", "ETH", "ERI", "2025-05-14"),
    ("Beijing warned Taipei against any move toward independence.", "THREATEN", "CHN", "TWN", "2025-05-14"),
    ("The Philippines protested to China over the water cannon attack.", "ACCUSE", "PHL", "CHN", "2025-05-14"),
    ("Thousands of Filipino fishermen rallied in Manila on Monday against China.", "PROTEST", "PHL", "CHN",
     "2025-05-12"),
    ("Japan imposed sanctions on North Korea on Monday.", "SANCTION", "JPN", "PRK", "2025-05-12"),
    ("Pakistan expelled the Indian defence attache on Thursday.", "SANCTION", "PAK", "IND", "2025-05-08"),
    ("Thai police arrested two Cambodian activists in Bangkok on Wednesday.", "COERCE", "THA", "KHM", "2025-05-14"),
    ("Turkish troops shelled Kurdish positions in northern Syria on Sunday.", "ASSAULT", "TUR", "SYR", "2025-05-11"),
    ("China held large-scale military drills around Taiwan on Monday.", "MOBILIZE", "CHN", "TWN", "2025-05-12"),
    ("Washington sent more warships to the Red Sea on Monday to deter Yemen.", "MOBILIZE", "USA", "YEM",
     "2025-05-12"),
    ("Kenya sent 400 police officers to Haiti on Monday to help fight the gangs.", "AID", "KEN", "HTI",
     "2025-05-12"),
    ("Japan and the Philippines held joint naval exercises on Monday.", "COOPERATE", "JPN", "PHL", "2025-05-12"),
    ("North Korea fired two ballistic missiles toward Japan on Tuesday.", "ASSAULT", "PRK", "JPN", "2025-05-13"),
]


@pytest.fixture(scope="module")
def coder():
    return Coder()


@pytest.mark.parametrize("text,etype,actor,recipient,day", CASES, ids=[c[1] + ":" + c[0][:30] for c in CASES])
def test_plain_sentence(coder, text, etype, actor, recipient, day):
    events = coder.code(Document(id="t", text=text, feed_date="2025-05-14"))
    got = [(e.event_type, e.actor.country, e.recipient.country if e.recipient else None, e.date) for e in events]
    assert (etype, actor, recipient, day) in got, got


HYPOTHETICAL = [
    ("Lithuania said on Monday it could expel Belarusian diplomats.", "THREATEN", "expel"),
    ("Kenya said on Monday it would impose sanctions on Somalia if the talks failed.", "THREATEN", None),
    ("Kenya imposed sanctions on Somalia on Monday.", "SANCTION", None),
]


@pytest.mark.parametrize("text,etype,mode", HYPOTHETICAL, ids=[c[0][:40] for c in HYPOTHETICAL])
def test_conflict_act_put_as_possible_is_a_threat(coder, text, etype, mode):
    """Codebook: a hypothetical ASSAULT (or SANCTION, COERCE) is coded THREATEN, dated the day it was voiced;
    the same act done stays what it is."""
    events = coder.code(Document(id="t", text=text, feed_date="2025-05-14"))
    got = [(e.event_type, e.status, e.date) for e in events]
    assert (etype, "occurred", "2025-05-12") in got, got
    if mode:
        assert any(e.mode == mode for e in events if e.event_type == etype)


def test_an_act_told_in_a_statement_takes_the_statement_date_unless_it_is_still_to_come(coder):
    said = coder.code(Document(id="t", text="Egypt's foreign minister said on Monday that Ethiopia was violating "
                                            "the agreement.", feed_date="2025-05-14"))
    assert ("ACCUSE", "2025-05-12") in [(e.event_type, e.date) for e in said]
    planned = coder.code(Document(id="t", text="Egypt said on Monday that its president would meet the Ethiopian "
                                               "prime minister on Friday.", feed_date="2025-05-14"))
    assert [(e.event_type, e.status, e.date) for e in planned] == [("AGREE", "planned", "2025-05-16")]
    done_before = coder.code(Document(id="t", text="Egypt said on Monday that Ethiopia has expelled its "
                                                   "ambassador.", feed_date="2025-05-14"))
    assert ("SANCTION", "2025-05-12") not in [(e.event_type, e.date) for e in done_before]
    assert any(e.event_type == "SANCTION" for e in done_before)
