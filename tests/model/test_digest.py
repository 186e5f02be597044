"""Digests by value (`content_digest`), and schedule keys that do not depend on object identity."""

import dataclasses
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inclusion_sim import resolve
from inclusion_sim.base.digest import content_digest
from inclusion_sim.base.seeds import replicate_seed
from inclusion_sim.delivery.schedulers import schedule_key


@dataclasses.dataclass(frozen=True)
class Pair:
    left: object
    right: object


def test_sharing_changes_the_pickle_but_not_the_digest():
    shared = "G1-A" * 3
    one = Pair(shared, shared)
    two = Pair("G1-A" * 3, "".join(["G1-A"] * 3))  # equal, but two distinct strings
    assert one == two and pickle.dumps(one) != pickle.dumps(two)
    assert content_digest(one) == content_digest(two)


@pytest.mark.parametrize(("a", "b"), [
    (1, 1.0), (1, True), ("1", 1), ((1, 2), [1, 2]), ((1, (2, 3)), ((1, 2), 3)),
    (0.1 + 0.2, 0.3), ({"a": 1}, {"a": 2}), (np.arange(3), np.arange(3.0)),
    (np.zeros((2, 3)), np.zeros((3, 2))), (Pair(1, 2), Pair(2, 1)), ({1, 2}, frozenset({1, 2})),
])
def test_different_values_give_different_digests(a, b):
    assert content_digest(a) != content_digest(b)


def test_an_unknown_type_is_refused_rather_than_guessed():
    with pytest.raises(TypeError, match="cannot read a object"):
        content_digest(object())


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=20)


@given(values)
def test_a_round_trip_through_pickle_keeps_the_digest(value):
    assert content_digest(pickle.loads(pickle.dumps(value))) == content_digest(value)


def test_equal_schools_built_two_ways_share_one_schedule_key(small):
    """A replicate that runs another replicate's school (``[sweep] schools``) finds its week."""
    seed = replicate_seed(3, 0)
    travelled = pickle.loads(pickle.dumps(small))  # as a sweep's worker receives it
    own = resolve(travelled, seed=seed, policy="pull_out", weeks=1)
    borrowed = resolve(travelled.with_roster_seed(seed, "test", "test"),
                       seed=replicate_seed(3, 2), policy="pull_out", weeks=1)
    assert pickle.dumps(own.school) != pickle.dumps(borrowed.school)  # what used to miss
    assert schedule_key(own.school, own.policy, own.params, own.scheduling) == \
        schedule_key(borrowed.school, borrowed.policy, borrowed.params, borrowed.scheduling)
    other = resolve(travelled, seed=replicate_seed(3, 2), policy="pull_out", weeks=1)
    assert schedule_key(own.school, own.policy, own.params, own.scheduling) != \
        schedule_key(other.school, other.policy, other.params, other.scheduling)
