"""Seeds and random streams: one integer determines a run.

Each purpose (roster, friendships, initial state, scheduling, refusals, attendance, each
disruption of the school year, and refusals of make-up sessions) draws from
its own generator, spawned in a fixed order from one `numpy.random.SeedSequence`. The same seed
under two policies therefore gives the same school and the same draws wherever the policy does
not change them (common random numbers). Replicate *k* of a comparison or sweep uses
`replicate_seed(base, k)` under every policy and parameter point.

This module imports nothing heavy, so workers and reports can use it without loading Mesa.
"""

from __future__ import annotations

import numpy as np

#: Random streams, spawned from the run's seed in this order. Adding a stream at the end keeps
#: every existing stream's numbers unchanged.
STREAMS: tuple[str, ...] = ("roster", "friendships", "initial_state", "schedule", "refusal",
                            "attendance", "student_absence", "therapist_absence", "school_events",
                            "therapist_duties", "makeup_refusal")


def make_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per purpose, all from one `SeedSequence`."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children,
                                                                       strict=True)}


def replicate_seed(base_seed: int, replicate: int) -> int:
    """Seed of replicate k: a function of the base seed and k only.

    Using the same seed for replicate k under every policy and parameter point gives common
    random numbers, so paired differences between policies cancel the school-to-school noise.
    Spawning through `numpy.random.SeedSequence` keeps replicate streams independent even for
    neighbouring base seeds.
    """
    sequence = np.random.SeedSequence(entropy=int(base_seed), spawn_key=(int(replicate),))
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def school_turn_seed(seeds: list[int], replicate: int, schools: int | None) -> int | None:
    """The seed of the school replicate k runs on when replicates take turns on fewer schools.

    With `schools` = K, replicate k runs on the school of replicate ``k mod K`` (its students,
    classes and mandates), with the rest of its year drawn from its own seed. The first K
    replicates run on their own schools, exactly as with no `schools`, and adding replicates
    keeps every earlier replicate's school, so a finished study can be extended. Returns None
    where the replicate runs on its own school.

    Args:
        seeds: The replicates' seeds, in order (at least `schools` of them).
        replicate: k.
        schools: K, or None for a school per replicate.
    """
    if schools is None or replicate < schools:
        return None
    return seeds[replicate % schools]
