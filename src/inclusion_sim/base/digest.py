"""Digests of what an object holds, whatever the objects it is built from.

`pickle` writes an object that appears twice as a reference to its first appearance, so two
equal schools pickle to different bytes when one of them happens to share a string or a tuple
between two of its students and the other holds two equal copies (for instance a school built
from a scenario that went through a worker process against one built from a fresh copy). A cache
keyed on those bytes then misses for equal schools and solves their week again. `content_digest`
reads values only: equal content gives the same digest, and different content (any field, any
array element, any float to its last bit) a different one.

This module imports nothing heavy, so keys can be computed anywhere.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np


def content_digest(*parts: Any, length: int = 32) -> str:
    """A hexadecimal digest of `parts` by value.

    Args:
        parts: Dataclasses, tuples, lists, dicts, sets, numpy arrays and scalars, strings,
            numbers, booleans, enums and None, nested in any way.
        length: Hex digits kept.

    Raises:
        TypeError: For a value of any other type, rather than guessing how to read it.
    """
    digest = hashlib.sha256()
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()[:length]


def _feed(digest, value: Any) -> None:
    """Add one value, tagged with its type so that (1, "1") and ("1", 1) differ."""
    update = digest.update
    if value is None or isinstance(value, bool | int | float | str | bytes | enum.Enum):
        update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, np.ndarray):
        update(f"ndarray:{value.dtype.str}:{value.shape};".encode())
        update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.generic):
        update(f"{value.dtype.str}:{value.item()!r};".encode())
    elif is_dataclass(value) and not isinstance(value, type):
        update(f"{type(value).__qualname__}({len(fields(value))};".encode())
        for field in fields(value):
            update(f"{field.name}=".encode())
            _feed(digest, getattr(value, field.name))
        update(b")")
    elif isinstance(value, tuple | list):
        update(f"{type(value).__name__}[{len(value)};".encode())
        for item in value:
            _feed(digest, item)
        update(b"]")
    elif isinstance(value, dict):
        update(f"dict{{{len(value)};".encode())
        for key, item in sorted(value.items(), key=lambda pair: repr(pair[0])):
            _feed(digest, key)
            _feed(digest, item)
        update(b"}")
    elif isinstance(value, set | frozenset):
        update(f"{type(value).__name__}{{{len(value)};".encode())
        for item in sorted(value, key=repr):
            _feed(digest, item)
        update(b"}")
    else:
        raise TypeError(f"content_digest cannot read a {type(value).__name__}")
