"""References a resident can read aloud and copy by hand: ``ADM-7K3-Q9P``.

A prefix of the commune, then two groups of three characters drawn with ``secrets`` from
an alphabet without look-alikes: no 0/O, no 1/I/L, and no U (read as V). 30 symbols and
6 characters give 729 million references; the idempotency key is the submission's UUID,
so a repeated reference would only confuse people, never merge two démarches.
"""

from __future__ import annotations

import re
import secrets

from kiosk.domain.spelling import spell

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 2
GROUP_SIZE = 3

_REFERENCE = re.compile(rf"([A-Z]{{2,5}})((?:-[{ALPHABET}]{{{GROUP_SIZE}}}){{{GROUPS}}})")


def new_reference(prefix: str) -> str:
    """A fresh random reference, e.g. ``new_reference("ADM") == "ADM-7K3-Q9P"``."""
    groups = (
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS)
    )
    return "-".join((prefix, *groups))


# What a resident may type for a character the reference cannot hold: the prefix is made
# of letters (a 0 there is an O, a 1 an I); the code has no U, which is read as V.
_PREFIX_LOOK_ALIKES = str.maketrans("01", "OI")
_CODE_LOOK_ALIKES = str.maketrans("U", "V")


def normalise_reference(text: str) -> str | None:
    """A reference as typed or dictated in its written form, or None.

    Forgiving as a hand copying from a receipt is: any case, dashes, spaces or dots
    anywhere or nowhere ("adm 7k3 q9p", "adm7k3q9p"), a 0 or 1 typed in the prefix of
    letters, a U typed for the V of the code. A 0, 1, I, L or O in the code stays wrong:
    the alphabet has none of them, and guessing which character was meant could show
    the status of someone else's request.
    """
    compact = "".join(c for c in text.upper() if c.isascii() and c.isalnum())
    body = GROUPS * GROUP_SIZE
    if len(compact) < body + 2:
        return None
    prefix = compact[:-body].translate(_PREFIX_LOOK_ALIKES)
    code = compact[-body:].translate(_CODE_LOOK_ALIKES)
    candidate = "-".join(
        [prefix, *(code[i : i + GROUP_SIZE] for i in range(0, body, GROUP_SIZE))]
    )
    return candidate if _REFERENCE.fullmatch(candidate) else None


def spell_reference(reference: str, language: str) -> str:
    """The reference as it should be read aloud in ``language``, to be written down.

    Each character apart, each letter with its word, a pause after each group:
    ``ADM-7K3-Q9P`` -> ``A comme Anatole, D comme Désiré, M comme Marcel. 7, K comme
    Kléber, 3. Q comme Quintal, 9, P comme Pierre.`` (see ``kiosk.domain.spelling``).
    """
    return spell(reference.split("-"), language)
