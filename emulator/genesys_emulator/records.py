"""Custom-object records: atomic bulk upsert, validation, references and deletes.

The caller holds `state.lock` around every function here, which is what makes a batch atomic
with respect to concurrent batches: it is validated against a consistent view and written
in one step, or not at all.
"""

from .errors import ApiError, error_entry
from .indexes import ref_key
from .util import RECORD_ID_RE, canonical_number, is_date, is_number, new_id, now_ts

MAX_BATCH = 100
RESOLUTIONS = ("upsert", "createOnly", "updateOnly")
IGNORED_KEYS = {"version", "dateCreated", "dateModified"}  # read-only properties a client may echo back


def record_view(schema, record):
    """The flat API form: id, the fields in schema order, then the metadata."""
    body = {"id": record["id"]}
    for field in schema["fields"]:
        if field["name"] in record["values"]:
            body[field["name"]] = record["values"][field["name"]]
    body.update(version=record["version"], dateCreated=record["dateCreated"], dateModified=record["dateModified"])
    return body


def find_schema(state, schema_name):
    schema = state.schema_by_name(schema_name)
    if schema is None:
        raise ApiError(404, "not.found", "No schema is named %s." % schema_name)
    return schema


def check_record_id(record_id):
    if not isinstance(record_id, str) or not RECORD_ID_RE.match(record_id):
        raise ApiError(400, "invalid.id", "Record ids match ^[A-Za-z0-9._:-]{1,128}$.")


def _type_problem(field, value):
    """The validation code for one value against its field, or None."""
    ftype = field["type"]
    valid = {"string": isinstance(value, str), "number": is_number(value), "boolean": isinstance(value, bool),
             "date": is_date(value), "relationship": isinstance(value, str)}[ftype]
    if not valid:
        return "invalid.type", "%s must be a %s value." % (field["name"], ftype)
    if ftype == "string" and field.get("maxLength") is not None and len(value) > field["maxLength"]:
        return "max.length.exceeded", "%s is longer than %d characters." % (field["name"], field["maxLength"])
    if ftype == "string" and field.get("options") is not None and value not in field["options"]:
        return "invalid.option", "%s must be one of %s." % (field["name"], ", ".join(field["options"]))
    return None


class _Batch:
    """One bulk upsert being validated against an overlay of the stored records."""

    def __init__(self, state, schema):
        self.state = state
        self.schema = schema
        self.fields = {f["name"]: f for f in schema["fields"]}
        self.stored = state.records_of(schema["id"])
        self.index = state.index_of(schema["id"])
        self.overlay = {}  # record id -> new values, for records this batch writes
        self.problems = []
        self.plan = []  # (index, id, result, values)
        self.rejected = []  # (index, id, values) of records with other problems: their unique clashes are listed too

    def fail(self, index, code, message, record_id=None, field=None):
        self.problems.append(error_entry(code, message, field=field, index=index, record_id=record_id))

    def current_values(self, record_id):
        if record_id in self.overlay:
            return self.overlay[record_id]
        stored = self.stored.get(record_id)
        return stored["values"] if stored else None

    def target_has(self, rel, value):
        """Whether a relationship may point at `value`: the target's stored records, overlaid with this
        batch's earlier writes when the relationship targets this schema (index look-ups, not a scan)."""
        target_id, field_name = rel["schemaId"], rel["fieldName"]
        if target_id != self.schema["id"]:
            if field_name == "id":
                return value in self.state.records_of(target_id)
            return bool(self.state.index_of(target_id).holders("ref", field_name, value))
        if field_name == "id":
            return value in self.stored or value in self.overlay
        key = ref_key(value)
        if key is None:
            return False
        if any(rid not in self.overlay for rid in self.index.holders("ref", field_name, value)):
            return True
        return any(ref_key(values.get(field_name)) == key for values in self.overlay.values())

    def add(self, index, item, seen_ids):
        if not isinstance(item, dict):
            raise ApiError(400, "bad.request", "records[%d] must be a JSON object." % index)
        record_id = item.get("id")
        mode = item.get("conflictResolution", "upsert")
        problems_before = len(self.problems)
        if mode not in RESOLUTIONS:
            self.fail(index, "invalid.conflict.resolution", "conflictResolution must be one of %s."
                      % ", ".join(RESOLUTIONS), record_id if isinstance(record_id, str) else None,
                      "conflictResolution")
        if record_id is not None and (not isinstance(record_id, str) or not RECORD_ID_RE.match(record_id)):
            self.fail(index, "invalid.id", "Record ids match ^[A-Za-z0-9._:-]{1,128}$.", None, "id")
            return
        if record_id is not None and record_id in seen_ids:
            self.fail(index, "duplicate.id.in.batch", "records[%d] has the same id." % seen_ids[record_id],
                      record_id, "id")
            return
        if len(self.problems) > problems_before:
            return
        existing = self.current_values(record_id) if record_id is not None else None
        if existing is not None and mode == "createOnly":
            return self.fail(index, "record.exists", "Record %s already exists." % record_id, record_id)
        if existing is None and mode == "updateOnly":
            if record_id is None:
                return self.fail(index, "record.id.required", "updateOnly needs an id.")
            return self.fail(index, "record.not.found", "Record %s does not exist." % record_id, record_id)
        if record_id is None:
            record_id = new_id()
        seen_ids[record_id] = index
        given = {k: v for k, v in item.items() if k not in ("id", "conflictResolution") and k not in IGNORED_KEYS}
        values = dict(existing or {})
        for key, value in given.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        if self.validate(index, record_id, given, values):
            if existing is None:
                result = "created"
            else:
                result = "unchanged" if values == existing else "updated"
            self.overlay[record_id] = values
            self.plan.append((index, record_id, result, values))
        else:
            self.rejected.append((index, record_id, values))

    def validate(self, index, record_id, given, values):
        ok = True
        for key in given:
            if key not in self.fields:
                self.fail(index, "unknown.field", "The schema has no field %s." % key, record_id, key)
                ok = False
        for name, field in self.fields.items():
            if name not in values:
                if field["required"]:
                    self.fail(index, "required.field.missing", "%s is required." % name, record_id, name)
                    ok = False
                continue
            problem = _type_problem(field, values[name])
            if problem is None and field["type"] == "relationship" and name in given:
                if not self.target_has(field["relationship"], values[name]):
                    problem = ("relationship.target.missing", "No %s record has %s %r." % (
                        self._schema_name(field["relationship"]["schemaId"]),
                        field["relationship"]["fieldName"], values[name]))
            if problem:
                self.fail(index, problem[0], problem[1], record_id, name)
                ok = False
        return ok

    def _schema_name(self, schema_id):
        target = self.state.schemas.get(schema_id)
        return target["name"] if target else schema_id

    def check_unique(self):
        """Unique fields over the final state: stored records the batch leaves alone plus the batch."""
        for name, field in self.fields.items():
            if not field["unique"]:
                continue
            # the batch's values, then the stored records (not rewritten by the batch) holding each
            owners = {}
            checked = [(index, rid, values) for index, rid, _, values in self.plan] + self.rejected
            rewritten = set(self.overlay) | set(rid for _, rid, _ in self.rejected)
            for index, rid, values in sorted(checked, key=lambda item: item[0]):
                if name in values and _type_problem(field, values[name]) is None:
                    owners.setdefault(canonical_number(values[name]), []).append((index, rid))
            for value, batch_holders in owners.items():
                stored = [rid for rid in self.index.holders("unique", name, value) if rid not in rewritten]
                if len(stored) > 1:  # only in a loaded state that already breaks uniqueness: stored order
                    stored = set(stored)
                    stored = [rid for rid in self.stored if rid in stored]
                holders = [("stored", rid) for rid in stored] + batch_holders
                if len(holders) < 2:
                    continue
                if stored:  # the message names the value as the first holder spells it
                    value = canonical_number(self.stored[stored[0]]["values"][name])
                for index, rid in holders:
                    if index != "stored":
                        others = [h[1] for h in holders if h[1] != rid]
                        self.fail(index, "unique.constraint.violation", "%s %r is also used by %s."
                                  % (name, value, ", ".join(others)), rid, name)


def upsert(state, schema, body):
    """POST /records: validate the whole batch, then write all of it or nothing."""
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise ApiError(400, "bad.request", 'The body must be {"records": [...]}.')
    extra = sorted(set(body) - {"records"})
    if extra:
        raise ApiError(400, "bad.request", "Unknown properties: %s." % ", ".join(extra))
    items = body["records"]
    if not 1 <= len(items) <= MAX_BATCH:
        raise ApiError(400, "batch.too.large", "A batch holds 1 to %d records, not %d." % (MAX_BATCH, len(items)))
    batch = _Batch(state, schema)
    seen_ids = {}
    for index, item in enumerate(items):
        batch.add(index, item, seen_ids)
    batch.check_unique()
    if batch.problems:
        problems = sorted(batch.problems, key=lambda p: p["index"])
        raise ApiError(400, "batch.validation.failed", "%d problems in the batch; nothing was written."
                       % len(problems), errors=problems)
    now = now_ts()
    results, created, updated = [], [], []
    for index, rid, result, values in batch.plan:
        stored = batch.stored.get(rid)
        if result == "created":
            stored = {"id": rid, "values": values, "version": 1, "dateCreated": now, "dateModified": now}
            batch.stored[rid] = stored
            batch.index.added(rid, values)
            created.append(rid)
        elif result == "updated":
            batch.index.changed(rid, stored["values"], values)
            stored.update(values=values, version=stored["version"] + 1, dateModified=now)
            updated.append(rid)
        results.append({"id": rid, "version": stored["version"], "result": result})
        if result != "unchanged":
            batch.index.view_text(rid, schema, record_view)  # rendered now, as a service would store it
    if created or updated:
        state.save()
        _emit_changed(state, schema, created, updated, [])
    return {"created": len(created), "updated": len(updated), "unchanged": len(results) - len(created) - len(updated),
            "records": results}


def _emit_changed(state, schema, created, updated, deleted):
    state.emit("customobjects.records.changed",
               {"schemaName": schema["name"], "created": created, "updated": updated, "deleted": deleted},
               {"schemaId": schema["id"], "schemaName": schema["name"]})


def referrers(state, schema, record, ignore=()):
    """Ids (schema name, record id) of records whose relationship fields point at `record`."""
    found = []
    for other in state.schemas.values():
        for field in other["fields"]:
            rel = field.get("relationship")
            if not rel or rel["schemaId"] != schema["id"]:
                continue
            key = record["id"] if rel["fieldName"] == "id" else ref_key(record["values"].get(rel["fieldName"]))
            if key is None:
                continue
            for rid, candidate in state.records_of(other["id"]).items():
                if candidate["values"].get(field["name"]) == key and (other["id"], rid) not in ignore \
                        and not (other["id"] == schema["id"] and rid == record["id"]):
                    found.append("%s/%s" % (other["name"], rid))
    return found


def delete_one(state, schema, record_id):
    check_record_id(record_id)
    record = state.records_of(schema["id"]).get(record_id)
    if record is None:
        raise ApiError(404, "not.found", "No %s record has id %s." % (schema["name"], record_id))
    users = referrers(state, schema, record)
    if users:
        raise ApiError(409, "record.in.use", "Record %s is referenced by %s." % (record_id, ", ".join(users[:10])),
                       details=users[:10])
    del state.records[schema["id"]][record_id]
    state.index_of(schema["id"]).removed(record_id, record["values"])
    state.save()
    _emit_changed(state, schema, [], [], [record_id])


def bulk_remove(state, schema, body):
    """POST /records/bulk/remove: delete 1..100 ids atomically; unknown ids are reported as missing."""
    if not isinstance(body, dict) or not isinstance(body.get("ids"), list) \
            or not all(isinstance(i, str) for i in body["ids"]) or set(body) - {"ids"}:
        raise ApiError(400, "bad.request", 'The body must be {"ids": [strings]}.')
    ids = list(dict.fromkeys(body["ids"]))
    if not 1 <= len(body["ids"]) <= MAX_BATCH:
        raise ApiError(400, "batch.too.large", "Remove 1 to %d ids at a time." % MAX_BATCH)
    bad = [i for i in ids if not RECORD_ID_RE.match(i)]
    if bad:
        raise ApiError(400, "invalid.id", "Record ids match ^[A-Za-z0-9._:-]{1,128}$.",
                       errors=[error_entry("invalid.id", "Not a valid record id.", record_id=i) for i in bad[:10]])
    records = state.records_of(schema["id"])
    present = [i for i in ids if i in records]
    going = {(schema["id"], i) for i in present}
    errors = []
    for rid in present:
        users = referrers(state, schema, records[rid], ignore=going)
        if users:
            errors.append(error_entry("record.in.use", "Referenced by %s." % ", ".join(users[:10]), record_id=rid))
    if errors:
        raise ApiError(409, "record.in.use", "%d of the records are referenced by other records; nothing was deleted."
                       % len(errors), details=[e["id"] for e in errors][:10], errors=errors)
    missing = [i for i in ids if i not in records]
    index = state.index_of(schema["id"])
    for rid in present:
        index.removed(rid, records.pop(rid)["values"])
    if present:
        state.save()
        _emit_changed(state, schema, [], [], present)
    return {"deleted": len(present), "missing": missing}
