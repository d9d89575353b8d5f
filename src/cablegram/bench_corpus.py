"""A generated news feed for benchmarks: varied articles from templates written for this project.

A feed mixes politics (meetings, deals, sanctions, protests, fighting) with business, sport, weather, science
and culture, as a general wire does; political articles also carry background sentences. Every article is
built from a seeded random choice of templates, countries, names, numbers and dates, so a run is repeatable.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Iterator

from .models import Document

COUNTRIES = [("France", "French", "Paris"), ("Germany", "German", "Berlin"), ("Japan", "Japanese", "Tokyo"),
             ("Brazil", "Brazilian", "Brasilia"), ("India", "Indian", "New Delhi"), ("Kenya", "Kenyan", "Nairobi"),
             ("Mexico", "Mexican", "Mexico City"), ("Egypt", "Egyptian", "Cairo"), ("Turkey", "Turkish", "Ankara"),
             ("Poland", "Polish", "Warsaw"), ("Canada", "Canadian", "Ottawa"), ("Nigeria", "Nigerian", "Abuja"),
             ("Vietnam", "Vietnamese", "Hanoi"), ("Argentina", "Argentine", "Buenos Aires"),
             ("Indonesia", "Indonesian", "Jakarta"), ("Spain", "Spanish", "Madrid"), ("Chile", "Chilean", "Santiago"),
             ("Pakistan", "Pakistani", "Islamabad"), ("Sweden", "Swedish", "Stockholm"),
             ("South Africa", "South African", "Pretoria"), ("Ukraine", "Ukrainian", "Kyiv"),
             ("Russia", "Russian", "Moscow"), ("China", "Chinese", "Beijing"), ("Iran", "Iranian", "Tehran")]
GIVEN = ["Anna", "Marco", "Leila", "Tomas", "Priya", "Kwame", "Elena", "Hiroshi", "Sofia", "Omar", "Ines",
         "Viktor", "Amara", "Lucas", "Mei", "Rafael", "Nadia", "Jonas", "Aisha", "Pavel", "Carmen", "Daniel"]
FAMILY = ["Keller", "Moreau", "Tanaka", "Silva", "Okafor", "Novak", "Haddad", "Lindqvist", "Mendes", "Kowalski",
          "Rahman", "Petrov", "Ortega", "Nakamura", "Dubois", "Mensah", "Varga", "Castillo", "Jensen", "Aziz"]
TITLES = ["Foreign Minister", "President", "Prime Minister", "Defence Minister", "Trade Minister"]
OUTLETS = ["Northwind Wire", "Meridian Post", "Harbour Daily", "Civic Ledger", "Lantern News"]
TEAMS = ["Rovers", "United", "Athletic", "City", "Wanderers", "Rangers", "Harriers", "Albion"]
COMPANIES = ["Altora Motors", "Bluefin Foods", "Cobalt Systems", "Deltaray Energy", "Evergrain Mills",
             "Fjordline Shipping", "Granite Bank", "Helix Pharma"]

POLITICS = [
    "{title} {name} of {A} met {B2}'s {title2} {name2} in {capA} on {day} to discuss border trade.",
    "The two governments signed an agreement on energy cooperation after three days of talks.",
    "{A} announced sanctions against {demB} banks it accuses of financing the war.",
    "{name} said {A} would not accept any deal that ignored the rights of its citizens.",
    "Thousands of people protested outside the {demB} embassy in {capA} on {day}.",
    "{demA} police arrested {n} demonstrators after clashes near the parliament.",
    "{B} recalled its ambassador from {A} in protest over the expulsion of two diplomats.",
    "The {demA} foreign ministry summoned the {demB} envoy to complain about the remarks.",
    "{A} and {B} agreed to resume direct flights and to reopen their consulates by {month}.",
    "{title} {name} urged {B} to release the detained journalists without delay.",
    "{demB} forces shelled villages near the frontier overnight, local officials said.",
    "The ceasefire brokered by {C} collapsed after {n} days of relative calm.",
    "{A} pledged {n} million dollars in humanitarian aid to {B}.",
    "{name} praised {B} for its help in the rescue of the stranded sailors.",
    "{A} threatened to impose tariffs on {demB} steel if the talks failed.",
    "{A} rejected the proposal, calling it a threat to regional stability.",
    "{demA} troops withdrew from two positions along the disputed border on {day}.",
    "Officials from both countries will hold another round of negotiations in {capC} next month.",
    "{title} {name} telephoned {name2} to congratulate him on his election victory.",
    "{A} expelled three {demB} diplomats, accusing them of spying.",
]
POLITICS_BACKGROUND = [
    "Relations between {A} and {B} have been strained for most of the past decade.",
    "The border between the two countries runs for about {n} kilometres through mountains and forest.",
    "Trade between them reached {n} billion dollars last year, according to official figures.",
    "Both countries are members of the United Nations and of several regional bodies.",
    "The region has seen repeated disputes over water, grazing land and fishing rights.",
    "Elections are due in {A} in {month}, and opinion polls show a close race.",
    "The last summit between the two leaders took place in {capB} almost four years ago.",
    "Analysts in {capA} expect the issue to dominate the coming session of parliament.",
    "About {n} thousand people live in the border districts, many of them farmers.",
    "The dispute dates back to a map drawn in the nineteenth century.",
]
BUSINESS = [
    "Shares in {company} rose {p} percent in early trading after the firm reported higher profits.",
    "The central bank of {A} left its main interest rate unchanged at {p} percent.",
    "Inflation in {A} slowed to {p} percent in {month}, the statistics office said.",
    "{company} expects revenue of about {n} million dollars for the full year.",
    "Analysts had forecast a smaller rise in quarterly sales.",
    "The company employs around {n} thousand people in {m} countries.",
    "Oil prices fell for a third day as stockpiles grew more than expected.",
    "The {demA} currency weakened slightly against the dollar on {day}.",
    "Retail sales grew for the fourth month in a row, helped by warm weather.",
    "{company} plans to open {m} new factories over the next five years.",
    "The benchmark index closed {p} percent higher, led by technology stocks.",
    "Its chief executive told investors that demand for electric vehicles remained strong.",
    "Bond yields edged lower as investors weighed the latest jobs report.",
    "The firm will cut {n} jobs as part of a restructuring programme.",
]
SPORT = [
    "{city} {team} beat {city2} {team2} {m}-{k} on {day} to move top of the table.",
    "The striker scored twice in the second half before being substituted.",
    "The home side dominated possession but struggled to create clear chances.",
    "Their coach said the team had shown great spirit after a difficult month.",
    "{name} finished the race in {m} hours and {k} minutes, a new course record.",
    "The tournament final will be played in {city} in front of a crowd of {n} thousand.",
    "The goalkeeper made several fine saves to keep the score level at half-time.",
    "Injuries have left the squad short of defenders for the next three matches.",
    "The club confirmed that its captain has signed a new two-year contract.",
    "Fans celebrated late into the night in the streets around the stadium.",
]
WEATHER_SCIENCE_CULTURE = [
    "Heavy rain is expected across the north of {A} over the weekend, forecasters said.",
    "Temperatures could reach {m}{k} degrees Celsius in the south by {day}.",
    "Scientists at a university in {capA} have found a new species of frog in the rainforest.",
    "The study, published in a scientific journal, followed {n} patients for five years.",
    "Researchers said the results were encouraging but that more work was required.",
    "The museum's new exhibition brings together {n} paintings from private collections.",
    "The festival, now in its {m}th year, attracts visitors from across the region.",
    "A new bridge over the river is due to open to traffic in {month}.",
    "Snow closed several mountain roads, and drivers were advised to stay at home.",
    "The film won the top prize at the festival on {day}.",
    "The telescope will observe distant galaxies from an orbit far beyond the Moon.",
    "Volunteers planted {n} trees in the city park to mark the anniversary.",
    "Doctors recommend regular exercise and a balanced diet to reduce the risk.",
    "The orchestra will tour {m} cities across {A} this summer.",
]
KINDS = [("politics", 0.35), ("business", 0.25), ("sport", 0.15), ("other", 0.25)]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _slots(rng: random.Random) -> dict[str, str]:
    (a, da, ca), (b, db, cb), (c, _dc, cc) = rng.sample(COUNTRIES, 3)
    return {
        "A": a, "B": b, "C": c, "B2": b, "demA": da, "demB": db, "capA": ca, "capB": cb, "capC": cc,
        "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "name2": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        "title": rng.choice(TITLES), "title2": rng.choice(TITLES), "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS), "n": str(rng.randint(2, 900)), "m": str(rng.randint(2, 9)),
        "k": str(rng.randint(0, 9)), "p": f"{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        "company": rng.choice(COMPANIES), "team": rng.choice(TEAMS), "team2": rng.choice(TEAMS),
        "city": rng.choice(COUNTRIES)[2], "city2": rng.choice(COUNTRIES)[2],
    }


def _body(kind: str, rng: random.Random, slots: dict[str, str]) -> list[str]:
    if kind == "politics":
        sentences = rng.sample(POLITICS, rng.randint(5, 9)) + rng.sample(POLITICS_BACKGROUND, rng.randint(4, 8))
        rng.shuffle(sentences)
    else:
        pool = {"business": BUSINESS, "sport": SPORT, "other": WEATHER_SCIENCE_CULTURE}[kind]
        sentences = rng.sample(pool, rng.randint(7, min(12, len(pool))))
    return [s.format(**slots) for s in sentences]


def article(i: int, rng: random.Random, pair: tuple | None = None, days: tuple[int, int] = (0, 300)) -> Document:
    """The i-th generated article: headline, dateline, and three to five paragraphs, published on a day of
    2026 in `days` (counted from 1 January); with `pair` (two COUNTRIES-style tuples), a political article
    about that pair."""
    kind = "politics" if pair else rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    slots = _slots(rng)
    if pair:
        (a, da, ca), (b, db, cb) = rng.sample(pair, 2)
        slots.update({"A": a, "B": b, "B2": b, "demA": da, "demB": db, "capA": ca, "capB": cb})
    sentences = _body(kind, rng, slots)
    paragraphs, j = [], 0
    while j < len(sentences):
        step = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[j:j + step]))
        j += step
    published = date(2026, 1, 1) + timedelta(days=rng.randint(*days))
    outlet = rng.choice(OUTLETS)
    headline = sentences[0].split(",")[0].rstrip(".")
    dateline = f"{slots['capA'].upper()}, {published:%B} {published.day} ({outlet}) - "
    head = headline + "\n\n"
    text = head + dateline + "\n\n".join(paragraphs) + "\n"
    return Document(id=f"bench-{i:06d}", text=text, title=headline, source=outlet,
                    feed_date=published.isoformat(), body_start=len(head) + len(dateline))


def articles(n: int, seed: int = 0, days: tuple[int, int] = (0, 300)) -> Iterator[Document]:
    """n articles, generated one at a time (nothing is held in memory)."""
    rng = random.Random(seed)
    for i in range(n):
        yield article(i, rng, days=days)


FOCUS = [(("United States", "American", "Washington"), ("Russia", "Russian", "Moscow"))] * 8 + \
    [(("China", "Chinese", "Beijing"), ("India", "Indian", "New Delhi"))] + \
    [(("France", "French", "Paris"), ("Germany", "German", "Berlin"))]


def diplomatic_articles(n: int, seed: int = 0, days: tuple[int, int] = (0, 300)) -> Iterator[Document]:
    """n political articles about a few pairs, eight in ten about the United States and Russia: the case
    where one pair of countries holds most of a corpus."""
    rng = random.Random(seed)
    for i in range(n):
        yield article(i, rng, rng.choice(FOCUS), days)
