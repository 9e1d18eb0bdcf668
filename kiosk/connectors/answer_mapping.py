"""What the mappings of démarches to back offices (w.c.s. forms, Open311 services) share:
the error that refuses a submission before anything is sent, and choice values renamed."""

from __future__ import annotations

from collections.abc import Mapping


class MappingError(ValueError):
    """The submission cannot be expressed for its back office (a technical reason)."""


def mapped_choice(choices: Mapping[str, str], value: str, key: str, target: str) -> str:
    """``value`` as the back office names it: itself when ``choices`` is empty, else its
    entry; MappingError ("answer 'key': a choice has no <target> value") when it has none."""
    if not choices:
        return value
    mapped = choices.get(value)
    if mapped is None:
        raise MappingError(f"answer {key!r}: a choice has no {target} value")
    return mapped
