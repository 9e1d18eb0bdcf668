"""Fixtures of the console tests: the receiver with its console, one per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.console.console_process import Console, running_console


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A running receiver with one account per role, shared by a module's tests."""
    with running_console(tmp_path_factory.mktemp("console")) as started:
        yield started
