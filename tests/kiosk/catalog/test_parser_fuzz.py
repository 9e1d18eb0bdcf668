"""Arbitrary input never crashes the loader: it loads, or it raises CatalogError."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog import Catalog, CatalogError, load_catalog_bytes, parse_catalog
from tests.kiosk.catalog.samples import sample

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _loads_or_refuses(data: Any) -> None:
    try:
        result = parse_catalog(data)
    except CatalogError as error:
        problem = error.problem
        assert problem
    else:
        assert isinstance(result, Catalog)


@given(json_values)
def test_arbitrary_json_is_loaded_or_refused(data: Any) -> None:
    _loads_or_refuses(data)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_refused_cleanly(raw: bytes) -> None:
    with contextlib.suppress(CatalogError):
        load_catalog_bytes(raw)


# Replace one value somewhere in a good catalog: the closest thing to a staff typo.
def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


_SAMPLE_PATHS = _paths(sample())


@settings(max_examples=300)
@given(st.sampled_from(_SAMPLE_PATHS), json_values)
def test_one_changed_value_in_a_good_catalog(path: tuple[Any, ...], value: Any) -> None:
    data = sample()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    _loads_or_refuses(data)
    _loads_or_refuses(json.loads(json.dumps(data)))


@given(st.sampled_from(_SAMPLE_PATHS))
def test_one_removed_value_in_a_good_catalog(path: tuple[Any, ...]) -> None:
    data = sample()
    target = data
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    _loads_or_refuses(data)
