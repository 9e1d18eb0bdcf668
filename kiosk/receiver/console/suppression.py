"""Small counts hidden so that they cannot be rebuilt by subtraction (docs/console.md).

A page publishes *cells* (a count each) tied by *relations*: a total and its parts. A
relation is **exact** when the parts add up to the total (visits = visits of each day),
or a **subset** when the parts leave out some of it (visits with audio, within visits: the
rest, visits without audio, is never shown but could be worked out).

1. Primary rule: a count from 1 to 4 is not shown (``< 5``).
2. Secondary rule: from the numbers shown, nobody may work out a number from 1 to 4. For
   each relation whose total is known (shown, or added up from shown parts), what is not
   shown of it (total minus the known parts) must not be from 1 to 4, and must leave each
   hidden part its whole range (a ``< 5`` part could be any of 1 to 4, a masked part
   anything from 5; counts that contradict the relation tell nothing). When it does
   not, one more cell is masked, in the order of the cells' rank (details before the
   main numbers), the smallest first: the first whose masking settles the relation,
   else the first part; and the check runs again until nothing small can be rebuilt.
   Zeros are never masked.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
MASKED = "masqué"


@dataclass(frozen=True)
class Relation(Generic[K]):
    """``total`` and its ``parts``; ``exact``: the parts add up to the total."""

    total: K
    parts: tuple[K, ...]
    exact: bool


@dataclass(frozen=True)
class Shown:
    """A cell as published: ``count`` None when it is not told, and its text."""

    count: int | None
    text: str

    @property
    def masked(self) -> bool:
        """Hidden by the secondary rule (5 or more, not told), not for being small."""
        return self.text == MASKED


def _small(count: int, minimum: int) -> bool:
    return 0 < count < minimum


class _Audit(Generic[K]):
    """What a reader can work out from the cells shown, and where it gives away too much."""

    def __init__(
        self, values: Mapping[K, int], relations: Sequence[Relation[K]], minimum: int
    ) -> None:
        self.values = values
        self.relations = relations
        self.minimum = minimum

    def known(self, shown: set[K]) -> tuple[set[K], list[Relation[K]]]:
        """The cells shown or added up / subtracted from them, and the exact relations
        that gave away a small count on the way."""
        known, leaks = set(shown), []
        changed = True
        while changed:
            changed = False
            for relation in self.relations:
                if not relation.exact:
                    continue
                unknown = [part for part in relation.parts if part not in known]
                found: K | None = None
                if relation.total in known and len(unknown) == 1:
                    found = unknown[0]
                elif relation.total not in known and not unknown:
                    found = relation.total
                if found is not None:
                    known.add(found)
                    changed = True
                    if _small(self.values[found], self.minimum):
                        leaks.append(relation)
        return known, leaks

    def problems(self, shown: set[K]) -> list[Relation[K]]:
        """The relations from which a small count can be worked out."""
        known, leaks = self.known(shown)
        return leaks + [r for r in self.relations if self._leaks(r, known)]

    def settled(self, relation: Relation[K], shown: set[K]) -> bool:
        """Whether nothing small can be worked out from ``relation`` any more."""
        known, leaks = self.known(shown)
        return relation not in leaks and not self._leaks(relation, known)

    def _leaks(self, relation: Relation[K], known: set[K]) -> bool:
        """What is not shown of the relation's known total is small, or narrows a
        hidden ``< 5`` below its whole range."""
        if relation.total not in known:
            return False
        hidden = [part for part in relation.parts if part not in known]
        if not hidden and relation.exact:
            return False
        rest = self.values[relation.total] - sum(
            self.values[part] for part in relation.parts if part in known
        )
        floor = sum(self._floor(part) for part in hidden)
        some_small = any(_small(self.values[part], self.minimum) for part in hidden)
        narrow = some_small and 0 <= rest - floor < self.minimum - 2
        return _small(rest, self.minimum) or narrow

    def _floor(self, cell: K) -> int:
        """The least a reader knows a hidden cell holds: 1 for ``< 5``, 5 when masked."""
        return 1 if _small(self.values[cell], self.minimum) else self.minimum


def suppress(
    values: Mapping[K, int], relations: Iterable[Relation[K]], minimum: int,
    rank: Callable[[K], int] = lambda _: 0,
) -> dict[K, Shown]:
    """Every cell of ``values`` as it may be published (rules 1 and 2 above); ``rank``
    says which cells to mask last (higher: later)."""
    relations = list(relations)
    audit = _Audit(values, relations, minimum)
    shown = {cell for cell, count in values.items() if not _small(count, minimum)}
    while problems := audit.problems(shown):
        relation = problems[0]
        members = [relation.total, *relation.parts]
        if not any(cell in shown and values[cell] > 0 for cell in members):
            # known only through other relations: mask across them all
            members = [cell for r in relations for cell in (r.total, *r.parts)]
        # zeros are never masked: a masked cell reads as 5 or more
        candidates = sorted({cell for cell in members if cell in shown and values[cell] > 0},
                            key=lambda cell: (rank(cell), values[cell]))
        if not candidates:  # every cell shown is 0: only inconsistent counts are left
            break
        # The first that settles the relation; else one more part (each part masked
        # widens what the hidden ones may hold), or the total when no part is left.
        chosen = next(
            (cell for cell in candidates if audit.settled(relation, shown - {cell})),
            next((cell for cell in candidates if cell in relation.parts), candidates[0]),
        )
        shown.discard(chosen)
    return {cell: _shown(count, cell in shown, minimum) for cell, count in values.items()}


def _shown(count: int, shown: bool, minimum: int) -> Shown:
    if shown:
        return Shown(count, str(count))
    return Shown(None, f"< {minimum}" if _small(count, minimum) else MASKED)
