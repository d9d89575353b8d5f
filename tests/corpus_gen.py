"""Small generated news reports for the crash and concurrency tests: varied, English, written here."""

from __future__ import annotations

from pathlib import Path

STATES = [("France", "Paris"), ("Germany", "Berlin"), ("Japan", "Tokyo"), ("Brazil", "Brasilia"),
          ("Egypt", "Cairo"), ("Canada", "Ottawa"), ("India", "New Delhi"), ("Kenya", "Nairobi"),
          ("Mexico", "Mexico City"), ("Poland", "Warsaw"), ("Turkey", "Ankara"), ("Chile", "Santiago")]
ACTS = ["met the foreign minister of {b} to discuss fishing rights",
        "accused {b} of interfering in its election",
        "signed a trade agreement with {b}",
        "imposed sanctions on banks in {b}",
        "sent food aid to {b} after the floods",
        "asked {b} to release two detained journalists"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def report(n: int) -> str:
    """Report number `n`: a dated headline-free text of two sentences about two states."""
    a, cap = STATES[n % len(STATES)]
    b = STATES[(n * 7 + 3) % len(STATES)][0]
    if b == a:
        b = STATES[(n + 1) % len(STATES)][0]
    act = ACTS[n % len(ACTS)].format(b=b)
    return (f"{cap.upper()}, March {n % 27 + 1}, 2025 (Wire) - The government of {a} {act} on {DAYS[n % 5]}, "
            f"officials said. Talks will resume next month, note {n}.\n")


def write_reports(directory: Path, count: int) -> Path:
    """`count` reports as text files in `directory` (created), one per file."""
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (directory / f"report-{n:04d}.txt").write_text(report(n), encoding="utf-8")
    return directory
