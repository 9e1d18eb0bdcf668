"""Answer patterns of a catalog, run by RE2: checking an answer takes time linear in its length.

A catalog may require a short answer to match a regular expression. The catalog comes from
outside, and answers are checked on the GUI thread, so the engine must make a slow pattern
impossible rather than try to spot one: RE2 (Google's engine, ``google-re2``) runs in time
linear in the text for every pattern it accepts, because it has no backtracking. It refuses
back-references and look-arounds outright; this module names those refusals for the
commune staff who wrote the pattern (docs/catalog.md says which syntax they may use).

RE2's ``\\w``, ``\\W``, ``\\b``, ``\\B`` and ``[:alpha:]``-like classes only know ASCII letters,
so "Élodie" would not be a word: they are refused with a message pointing to ``\\p{L}`` (any
letter, accents too), rather than silently turning away residents with accented names.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol, cast

import re2

# Memory for one compiled pattern (program and matching cache). RE2 refuses a pattern
# whose program does not fit ("pattern too large") and never needs more to match.
MAX_PATTERN_MEMORY = 2 * 1024 * 1024
# Classes whose meaning under RE2 (ASCII only) differs from what a French writer expects.
_ASCII_ONLY_ESCAPES = frozenset("wWbB")
_ASCII_ONLY_POSIX = re.compile(r"\[:\^?(?:alpha|alnum|word|upper|lower):\]")

# RE2's error texts (the start of them) -> the problem said to the catalog's writer.
_NAMED_REFUSALS = (
    ("invalid perl operator: (?=", "look-aheads like (?=...) are not allowed"),
    ("invalid perl operator: (?!", "look-aheads like (?!...) are not allowed"),
    ("invalid perl operator: (?<=", "look-behinds like (?<=...) are not allowed"),
    ("invalid perl operator: (?<!", "look-behinds like (?<!...) are not allowed"),
    ("invalid perl operator: (?>", "atomic groups like (?>...) are not allowed"),
    ("invalid perl operator: (?(", "conditionals like (?(1)...) are not allowed"),
    ("bad repetition operator: ++", "possessive repeats like a++ are not allowed"),
    ("bad repetition operator: *+", "possessive repeats like a*+ are not allowed"),
    ("bad repetition operator: ?+", "possessive repeats like a?+ are not allowed"),
    ("invalid repetition size", "a repeat count is above 1000 (nested counts multiply)"),
    ("pattern too large", "the pattern is too large once its repeats are counted"),
)


class PatternError(ValueError):
    """A pattern the kiosk will not run; ``str()`` names the problem for the catalog's writer."""


class _Compiled(Protocol):
    """The part of an RE2 compiled pattern this module uses (google-re2 has no types)."""

    def fullmatch(self, text: str) -> object | None: ...


class AnswerPattern:
    """A checked pattern; ``fullmatch(answer)`` is True when the whole answer matches."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, compiled: _Compiled) -> None:
        self.source = source
        self._compiled = compiled

    def fullmatch(self, text: str) -> bool:
        try:
            return self._compiled.fullmatch(text) is not None
        except UnicodeEncodeError:  # a lone surrogate is not text a resident typed
            return False


def _options() -> object:
    options = re2.Options()
    options.log_errors = False  # a refusal is reported by the parser, not on stderr
    options.max_mem = MAX_PATTERN_MEMORY
    return options


def _problem_of(error: Exception, source: str) -> str:
    raw = error.args[0] if error.args else ""
    message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if message.startswith("invalid escape sequence: \\") and message[-1:].isdigit():
        return "back-references like \\1 are not allowed"
    if message.startswith("invalid perl operator: (?P") and "(?P=" in source:
        return "back-references like (?P=name) are not allowed"
    for start, problem in _NAMED_REFUSALS:
        if message.startswith(start):
            return problem
    return f"not a valid regular expression: {message}"


def _ascii_only_class(source: str) -> str | None:
    """The first class of ``source`` that knows no accented letter (``\\w`` is no escape)."""
    position = 0
    while (position := source.find("\\", position)) != -1:
        letter = source[position + 1 : position + 2]
        if letter in _ASCII_ONLY_ESCAPES:
            return "\\" + letter
        position += 2
    posix = _ASCII_ONLY_POSIX.search(source)
    return posix.group() if posix else None


def compile_pattern(source: str) -> AnswerPattern:
    """``source`` as an ``AnswerPattern``; raises ``PatternError`` naming the problem."""
    try:
        compiled = cast(_Compiled, re2.compile(source, _options()))
    except re2.error as error:
        raise PatternError(_problem_of(error, source)) from None
    except UnicodeEncodeError:
        raise PatternError("the pattern holds a character that is not text") from None
    ascii_only = _ascii_only_class(source)
    if ascii_only is not None:
        raise PatternError(
            f"{ascii_only} only knows letters without accents here: write \\p{{L}} for any "
            "letter, [0-9] for a digit"
        )
    return AnswerPattern(source, compiled)


@functools.lru_cache(maxsize=256)
def _cached(source: str) -> AnswerPattern:
    return compile_pattern(source)


def fullmatches(source: str, text: str) -> bool:
    """Whether all of ``text`` matches the pattern ``source`` (checked when its catalog loaded)."""
    return _cached(source).fullmatch(text)
