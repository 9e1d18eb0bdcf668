"""A bounded on-disk cache of WAV renderings of STATIC text (UI strings, catalog texts).

Keyed by sha256(text, voice, rate, volume, engine version), one `<key>.wav` file per entry,
least recently used entries evicted past `max_bytes`. Personal text cannot enter: `put()`
refuses a personal utterance and `get()` never even looks one up, so nothing a resident typed
is ever written here (docs/speech.md).

Thread-safety: `get()` runs on the GUI thread while the synthesis worker calls `put()`;
entries are written to a temp file and renamed, so a reader sees a whole file or none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from accessibility.speech.privacy import may_cache
from accessibility.speech.utterance import Utterance

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # ~1,500 sentences of 4 s at 22,050 Hz 16-bit
_SUFFIX = ".wav"
_TEMP_PREFIX = ".partial-"


class PersonalTextError(ValueError):
    """Personal text was offered to the cache: a programming error, never a resident's."""


class SpeechCache:
    """WAV files of static text under `directory` (the app uses data_dir/speech-cache)."""

    def __init__(
        self, directory: Path, *, engine_version: str, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.directory = Path(directory)
        self.engine_version = engine_version
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for leftover in self.directory.glob(f"{_TEMP_PREFIX}*"):  # from a crash mid-write
            leftover.unlink(missing_ok=True)
        self._total = sum(self._sizes().values())

    def key(self, utterance: Utterance) -> str:
        """The entry name of a static utterance; refuses personal text."""
        if not may_cache(utterance):
            raise PersonalTextError("personal text is never cached")
        material = json.dumps(
            [
                utterance.text,
                utterance.voice,
                int(utterance.rate_wpm),
                round(float(utterance.volume), 3),
                self.engine_version,
                # Only when set, so that the keys of plain utterances stay as they were.
                *([utterance.embedded_voice] if utterance.embedded_voice else []),
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _path(self, utterance: Utterance) -> Path:
        return self.directory / f"{self.key(utterance)}{_SUFFIX}"

    def get(self, utterance: Utterance) -> bytes | None:
        """The cached WAV of a static utterance, or None (always None for personal text)."""
        if not may_cache(utterance):
            return None
        path = self._path(utterance)
        try:
            audio = path.read_bytes()
            os.utime(path)  # recently used: evicted last
        except OSError:  # absent, or evicted between the two calls
            return None
        return audio

    def __contains__(self, utterance: Utterance) -> bool:
        return may_cache(utterance) and self._path(utterance).exists()

    def put(self, utterance: Utterance, audio: bytes) -> None:
        """Store the WAV of a static utterance, then evict old entries past the size bound."""
        path = self._path(utterance)  # raises PersonalTextError first
        if len(audio) > self.max_bytes:
            return
        with tempfile.NamedTemporaryFile(
            dir=self.directory, prefix=_TEMP_PREFIX, delete=False
        ) as temp:
            temp.write(audio)
        previous = path.stat().st_size if path.exists() else 0
        os.replace(temp.name, path)
        with self._lock:
            self._total += len(audio) - previous
            if self._total > self.max_bytes:
                self._evict()

    def size_bytes(self) -> int:
        """Bytes currently held."""
        with self._lock:
            return self._total

    def clear(self) -> None:
        """Remove every entry (e.g. from `kiosk doctor --clear-speech-cache`)."""
        with self._lock:
            for path in self._sizes():
                path.unlink(missing_ok=True)
            self._total = 0

    def _sizes(self) -> dict[Path, int]:
        sizes: dict[Path, int] = {}
        for path in self.directory.glob(f"*{_SUFFIX}"):
            with contextlib.suppress(OSError):
                sizes[path] = path.stat().st_size
        return sizes

    def _evict(self) -> None:
        """Delete least recently used entries down to 90 % of the bound (caller holds the lock)."""
        entries = []
        for path in self.directory.glob(f"*{_SUFFIX}"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                entries.append((stat.st_mtime_ns, stat.st_size, path))
        entries.sort()
        total = sum(size for _, size, _ in entries)
        target = self.max_bytes * 9 // 10
        evicted = 0
        for _, size, path in entries:
            if total <= target:
                break
            path.unlink(missing_ok=True)
            total -= size
            evicted += 1
        self._total = total
        log.info("speech cache: evicted %d entries, %d bytes kept", evicted, total)
