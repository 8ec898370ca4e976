"""Randomised order: a permutation, deterministic per seed, split into disjoint shards."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paquet.errors import PaquetError
from paquet.probe.order import Permutation, parse_shard


@given(st.integers(0, 3000), st.integers(-(2**40), 2**40))
def test_every_index_exactly_once(n: int, seed: int) -> None:
    assert sorted(Permutation(n, seed)) == list(range(n))


@given(st.integers(1, 2000), st.integers(0, 2**32), st.integers(1, 7))
def test_shards_are_disjoint_and_cover(n: int, seed: int, k: int) -> None:
    parts = [list(Permutation(n, seed, (i, k))) for i in range(1, k + 1)]
    assert sorted(x for p in parts for x in p) == list(range(n))
    assert [len(p) for p in parts] == [len(Permutation(n, seed, (i, k))) for i in range(1, k + 1)]


@given(st.integers(2, 2000), st.integers(0, 2**32), st.integers(0, 50))
def test_resume_continues_the_same_order(n: int, seed: int, skip: int) -> None:
    p = Permutation(n, seed)
    assert list(p.walk(skip)) == list(p)[skip:]


def test_order_is_random_not_sequential() -> None:
    order = list(Permutation(65536, seed=7))
    ascending = sum(1 for a, b in itertools.pairwise(order) if b == a + 1)
    assert ascending < 100
    assert order != list(Permutation(65536, seed=8))
    assert order == list(Permutation(65536, seed=7))


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_bad_shard(text: str) -> None:
    with pytest.raises(PaquetError):
        parse_shard(text)
