# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Digests of record values: how the planner finds an unchanged record from its key and one number.

:func:`hashed` is Python's own hash (this process only); :class:`Portable` is the same in every
process (the records helper computes it in another one). :func:`candidate_test` and
:func:`quick_applies` say when a record may be counted unchanged from its key and digest alone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import marshal

from ansible_collections.genesys.cloud.plugins.module_utils.records import METADATA

SKIP = frozenset(("id",) + METADATA)


def text_key(value):
    """A map key for a normalised value: strings as they are, anything else as JSON behind a marker."""
    return value if isinstance(value, str) else "\x01" + json.dumps(value, sort_keys=True)


def hashed(values):
    """A 64-bit digest of a record's values (numbers by value: 1 and 1.0 agree), valid in this process only.

    None for a record holding a list or a mapping (never equal: compared field by field).
    """
    try:
        return hash(frozenset(values.items()))
    except TypeError:
        return None


class Portable:
    """A 64-bit digest of a record's values that any process computes alike (Python's ``hash`` of text is
    seeded per process): BLAKE2b of the values in schema order. Types count (1, 1.0 and True differ:
    such a record is compared field by field). ``None`` for a value :mod:`marshal` cannot write."""

    def __init__(self, fields):
        self.names = list(fields)

    def __call__(self, values):
        try:
            data = marshal.dumps((len(values), [values.get(name) for name in self.names]), 2)
        except ValueError:  # a str subclass, say: compared field by field
            return None
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def without_metadata(values):
    """``values`` without the id and metadata, and without nulls (a null field is a field not given)."""
    if not values.keys().isdisjoint(SKIP):
        values = dict(values)
        for name in SKIP:
            values.pop(name, None)
    if None in values.values():
        values = dict(item for item in values.items() if item[1] is not None)
    return values


def candidate_test(key, validator, digest):
    """``candidate(record)``: ``(key value, digest)`` when the record is stored as given if its stored
    digest is that one; None when it needs the general way (not a mapping, a key that is not
    text, an id, metadata or a null given, a boolean where a number is due or the reverse)."""
    equal_to_valid = validator.equal_to_valid

    def candidate(record):
        try:
            key_value = record.get(key)
            if not isinstance(key_value, str) or not record.keys().isdisjoint(SKIP):
                return None
            values_digest = digest(record)
        except AttributeError:  # not a mapping
            return None
        if values_digest is None or not equal_to_valid(record):
            return None
        return key_value, values_digest
    return candidate


def quick_applies(fields, key, state):
    """Whether a record may be found unchanged from its key and digest alone.

    That is the usual record of a re-run: ``state=present``, keyed by a text field, and no other
    unique field or relationship that needs the record's values.
    """
    return (state == "present" and fields.get(key, {}).get("type") in ("string", "relationship")
            and not any(f.get("unique") and name != key for name, f in fields.items())
            and not any(f["type"] == "relationship" for f in fields.values()))
