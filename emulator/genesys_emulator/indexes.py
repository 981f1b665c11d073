"""Per-schema record indexes, so that record operations cost O(batch) / O(page), not O(stored).

`State.index_of(schema_id)` hands out a `RecordIndex` for the schema's stored-record dict. It is
built lazily (each part on first use) and kept current by records.py on every record write
(create, update, delete, bulk remove). Anything that rewrites stored data wholesale (a schema
update converting or dropping values, a schema delete, a state load or reset) drops the
schema's index instead, and the next use rebuilds it from the stored records. An index also
notices when the stored-record dict it was built on was replaced and rebuilds itself.

The caller holds `state.lock`.
"""

import json
from bisect import bisect_left, insort

from .util import canonical_number


def ref_key(value):
    """Relationship values are strings; numbers they point at compare by their canonical spelling."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(canonical_number(value))
    return None


def _unique_key(values, name):
    """The key a unique check compares (None when the record has no value for the field)."""
    if name not in values:
        return None
    return (canonical_number(values[name]),)  # wrapped: a stored value may itself be None-like


def _ref_key(values, name):
    key = ref_key(values.get(name))
    return None if key is None else (key,)


_KEYS = {"unique": _unique_key, "ref": _ref_key}


class RecordIndex:
    """Indexes over one schema's stored records.

    - `holders(kind, field, value)`: the ids of stored records whose value of `field` has that
      key, where kind "unique" keys by `canonical_number(value)` (what uniqueness compares) and
      kind "ref" by `ref_key(value)` (what a relationship value is compared with).
    - `sorted_ids()`: the stored ids in sorted order (the list order of GET records).
    - `view_text(rid, schema, render)`: a record's API form as JSON text, rendered once per
      record version and schema version (a page of 500 is then a join, not 500 encodings).
    """

    def __init__(self, records):
        self.records = records  # the stored-record dict this index describes (by identity)
        self._fields = {}  # (kind, field name) -> {(key,): {record id, ...}}
        self._sorted = None  # sorted record ids, or None until first asked for
        self._texts = {}  # record id -> ((record version, schema version), JSON text of its view)

    # -- reads ----------------------------------------------------------------------------

    def _field_index(self, kind, name):
        index = self._fields.get((kind, name))
        if index is None:
            index = {}
            key_of = _KEYS[kind]
            for rid, record in self.records.items():
                key = key_of(record["values"], name)
                if key is not None:
                    index.setdefault(key, set()).add(rid)
            self._fields[(kind, name)] = index
        return index

    def holders(self, kind, name, value):
        """Ids of stored records whose `name` has the key of `value` under `kind` (a set; do not change it)."""
        key = canonical_number(value) if kind == "unique" else ref_key(value)
        if key is None and kind == "ref":
            return set()
        return self._field_index(kind, name).get((key,), set())

    def sorted_ids(self):
        if self._sorted is None:
            self._sorted = sorted(self.records)
        return self._sorted

    def view_text(self, rid, schema, render):
        """``render(schema, record)`` as compact JSON, cached: a record's view changes only with its
        version or the schema's (a schema update that converts or drops values bumps the latter)."""
        record = self.records[rid]
        stamp = (record["version"], schema["version"])
        cached = self._texts.get(rid)
        if cached is None or cached[0] != stamp:
            cached = self._texts[rid] = (stamp, json.dumps(render(schema, record), separators=(",", ":")))
        return cached[1]

    # -- maintenance (call after the stored dict changed) -----------------------------------

    def _unindex(self, rid, values):
        for (kind, name), index in self._fields.items():
            key = _KEYS[kind](values, name)
            if key is not None:
                ids = index.get(key)
                if ids is not None:
                    ids.discard(rid)
                    if not ids:
                        del index[key]

    def _index(self, rid, values):
        for (kind, name), index in self._fields.items():
            key = _KEYS[kind](values, name)
            if key is not None:
                index.setdefault(key, set()).add(rid)

    def added(self, rid, values):
        self._index(rid, values)
        if self._sorted is not None:
            insort(self._sorted, rid)

    def changed(self, rid, old_values, new_values):
        self._texts.pop(rid, None)
        self._unindex(rid, old_values)
        self._index(rid, new_values)

    def removed(self, rid, values):
        self._texts.pop(rid, None)
        self._unindex(rid, values)
        if self._sorted is not None:
            at = bisect_left(self._sorted, rid)
            if at < len(self._sorted) and self._sorted[at] == rid:
                del self._sorted[at]
