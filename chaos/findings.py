"""What the checks found: losses, duplicates, half-done compensation and events out of
order, each with the case it concerns, and the tally of what exists exactly as it should."""

from collections import Counter
from dataclasses import dataclass, field

# Problems listed in full in the report; the rest are counted.
PROBLEMS_SHOWN = 40


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    lost: Counter[str] = field(default_factory=Counter)
    duplicates: Counter[str] = field(default_factory=Counter)
    half_done: int = 0
    # Events a platform took out of their case's order.
    disordered: int = 0
    # Cases that ended somewhere other than their scenario's end (not a loss by itself).
    unexpected_outcomes: int = 0
    # What exists, once, as it should: refunds, coupons, credits, parcels, messages...
    made: Counter[str] = field(default_factory=Counter)
    # "<workflow type> <status>": how many workflows ended (or wait) that way.
    workflows: Counter[str] = field(default_factory=Counter)
    # Provider calls that could pay twice later: a key not made of the case and step, or
    # a deadline past what the providers' idempotency window covers.
    unsafe: Counter[str] = field(default_factory=Counter)

    def lose(self, what: str, case: str, detail: str) -> None:
        self.lost[what] += 1
        self.problems.append(f"lost {what}: {case}: {detail}")

    def duplicate(self, what: str, case: str, detail: str, count: int = 1) -> None:
        self.duplicates[what] += count
        self.problems.append(f"duplicate {what}: {case}: {detail}")

    def half(self, case: str, detail: str) -> None:
        self.half_done += 1
        self.problems.append(f"half-done compensation: {case}: {detail}")

    def disorder(self, case: str, detail: str) -> None:
        self.disordered += 1
        self.problems.append(f"out of order: {case}: {detail}")

    def risk(self, what: str, case: str, detail: str) -> None:
        self.unsafe[what] += 1
        self.problems.append(f"unsafe {what}: {case}: {detail}")

    def unexpected(self, case: str, detail: str) -> None:
        self.unexpected_outcomes += 1
        self.problems.append(f"unexpected outcome: {case}: {detail}")

    @property
    def clean(self) -> bool:
        """Returns whether nothing was lost, duplicated, half done or ended unexpectedly."""
        return not (
            self.lost
            or self.duplicates
            or self.half_done
            or self.disordered
            or self.unexpected_outcomes
            or self.unsafe
        )
