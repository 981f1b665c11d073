"""Flex schemas: definition validation, data-dependent update checks, value conversions, CRUD."""

from .errors import ApiError, error_entry
from .util import (NAME_RE, canonical_number, is_date, new_id, now_ts, number_to_string, parse_number,
                   reject_unknown_keys, require_object)

TYPES = ("string", "number", "boolean", "date", "relationship")
RESERVED_FIELDS = {"id", "version", "datecreated", "datemodified", "conflictresolution"}
MAX_FIELDS = 100
MAX_DESCRIPTION = 512
MAX_DETAIL_IDS = 10
READ_ONLY_KEYS = {"id", "dateCreated", "dateModified", "selfUri"}
FIELD_KEYS = {"name", "type", "required", "unique", "options", "maxLength", "relationship"}

# Type changes that convert stored values: (old, new) -> converter returning (ok, new value).
CONVERSIONS = {
    ("string", "number"): lambda v: (parse_number(v) is not None, parse_number(v)),
    ("string", "date"): lambda v: (is_date(v), v),
    ("string", "boolean"): lambda v: (v in ("true", "false"), v == "true"),
    ("number", "string"): lambda v: (True, number_to_string(v)),
    ("boolean", "string"): lambda v: (True, "true" if v else "false"),
    ("date", "string"): lambda v: (True, v),
    ("number", "boolean"): lambda v: (v in (0, 1), v == 1),
    ("boolean", "number"): lambda v: (True, 1 if v else 0),
}


def schema_view(schema):
    """The API representation of a stored schema."""
    body = dict(schema)
    body["fields"] = [dict(f) for f in schema["fields"]]
    body["selfUri"] = "/api/v2/data/flex/schemas/%s" % schema["id"]
    return body


# -- the definition -------------------------------------------------------------------------

def _check_types(body):
    """Wrong JSON types are a malformed request (400 bad.request), reported all at once."""
    problems = []

    def bad(field, expected):
        problems.append(error_entry("invalid.type", "Must be %s." % expected, field=field))

    if "name" in body and not isinstance(body["name"], str):
        bad("name", "a string")
    if body.get("description") is not None and not isinstance(body["description"], str):
        bad("description", "a string")
    if "version" in body and (not isinstance(body["version"], int) or isinstance(body["version"], bool)):
        bad("version", "an integer")
    fields = body.get("fields")
    if "fields" in body and not isinstance(fields, list):
        bad("fields", "an array")
        fields = []
    for i, field in enumerate(fields or []):
        at = "fields[%d]" % i
        if not isinstance(field, dict):
            bad(at, "an object")
            continue
        problems.extend(error_entry("unknown.property", "Unknown property.", field="%s.%s" % (at, k))
                        for k in sorted(field) if k not in FIELD_KEYS)
        for key in ("name", "type"):
            if key in field and not isinstance(field[key], str):
                bad("%s.%s" % (at, key), "a string")
        for key in ("required", "unique"):
            if field.get(key) is not None and not isinstance(field[key], bool):
                bad("%s.%s" % (at, key), "a boolean")
        options = field.get("options")
        if options is not None and (not isinstance(options, list) or not all(isinstance(o, str) for o in options)):
            bad(at + ".options", "an array of strings")
        max_length = field.get("maxLength")
        if max_length is not None and (not isinstance(max_length, int) or isinstance(max_length, bool)):
            bad(at + ".maxLength", "an integer")
        rel = field.get("relationship")
        if rel is not None:
            if not isinstance(rel, dict):
                bad(at + ".relationship", "an object")
            else:
                problems.extend(error_entry("unknown.property", "Unknown property.",
                                            field="%s.relationship.%s" % (at, k))
                                for k in sorted(rel) if k not in ("schemaId", "fieldName"))
                for key in ("schemaId", "fieldName"):
                    if key in rel and not isinstance(rel[key], str):
                        bad("%s.relationship.%s" % (at, key), "a string")
    if problems:
        raise ApiError(400, "bad.request", "The schema body is malformed.", errors=problems)


def _relationship_problems(at, rel, state, own_id, own_fields):
    if not rel.get("schemaId"):
        return [error_entry("relationship.missing", "A relationship needs a schemaId.", field=at + ".schemaId")]
    if not rel.get("fieldName"):
        return [error_entry("relationship.missing", "A relationship needs a fieldName.", field=at + ".fieldName")]
    if rel["schemaId"] == own_id:
        target_fields = own_fields
    elif rel["schemaId"] in state.schemas:
        target_fields = state.schemas[rel["schemaId"]]["fields"]
    else:
        return [error_entry("relationship.target.not.found", "No schema has id %s." % rel["schemaId"],
                            field=at + ".schemaId")]
    if rel["fieldName"] == "id":
        return []
    target = next((f for f in target_fields if f.get("name") == rel["fieldName"]), None)
    if target is None or not target.get("unique"):
        return [error_entry("invalid.relationship.field",
                            "fieldName must be id or a unique field of the target schema.",
                            field=at + ".fieldName")]
    return []


def _field_problems(i, field, state, own_id, fields):
    at = "fields[%d]" % i
    problems = []
    name, ftype = field.get("name"), field.get("type")
    if not name:
        problems.append(error_entry("required", "A field needs a name.", field=at + ".name"))
    elif not NAME_RE.match(name):
        problems.append(error_entry("invalid.name", "Field names match ^[A-Za-z][A-Za-z0-9_]{0,63}$.",
                                    field=at + ".name"))
    elif name.lower() in RESERVED_FIELDS:
        problems.append(error_entry("reserved.name", "%s is a reserved name." % name, field=at + ".name"))
    if ftype is None:
        problems.append(error_entry("required", "A field needs a type.", field=at + ".type"))
    elif ftype not in TYPES:
        problems.append(error_entry("unknown.type", "Unknown type %r; use one of %s." % (ftype, ", ".join(TYPES)),
                                    field=at + ".type"))
    if field.get("options") is not None:
        if ftype != "string":
            problems.append(error_entry("options.not.allowed", "options are for string fields only.",
                                        field=at + ".options"))
        elif not field["options"] or len(set(field["options"])) != len(field["options"]):
            problems.append(error_entry("invalid.options", "options must be one or more distinct strings.",
                                        field=at + ".options"))
    if field.get("maxLength") is not None:
        if ftype != "string":
            problems.append(error_entry("maxlength.not.allowed", "maxLength is for string fields only.",
                                        field=at + ".maxLength"))
        elif not 1 <= field["maxLength"] <= 10000:
            problems.append(error_entry("invalid.max.length", "maxLength must be between 1 and 10000.",
                                        field=at + ".maxLength"))
    if field.get("unique") and ftype in TYPES and ftype not in ("string", "number"):
        problems.append(error_entry("unique.not.allowed", "Only string and number fields can be unique.",
                                    field=at + ".unique"))
    rel = field.get("relationship")
    if ftype == "relationship":
        if rel is None:
            problems.append(error_entry("relationship.missing", "A relationship field needs a relationship.",
                                        field=at + ".relationship"))
        else:
            problems.extend(_relationship_problems(at + ".relationship", rel, state, own_id, fields))
    elif rel is not None:
        problems.append(error_entry("relationship.not.allowed", "Only relationship fields take a relationship.",
                                    field=at + ".relationship"))
    return problems


def _normalise_field(field):
    out = {"name": field["name"], "type": field["type"],
           "required": bool(field.get("required")), "unique": bool(field.get("unique"))}
    for key in ("options", "maxLength"):
        if field.get(key) is not None:
            out[key] = list(field[key]) if key == "options" else field[key]
    if field.get("relationship") is not None:
        out["relationship"] = {"schemaId": field["relationship"]["schemaId"],
                               "fieldName": field["relationship"]["fieldName"]}
    return out


def parse_definition(body, state, own_id=None):
    """Validate a POST/PUT body; returns (name, description, normalised fields) or raises 400/422."""
    require_object(body)
    reject_unknown_keys(body, {"name", "description", "fields", "version"} | READ_ONLY_KEYS)
    _check_types(body)
    problems = []
    name = body.get("name")
    if not name:
        problems.append(error_entry("required", "A schema needs a name.", field="name"))
    elif not NAME_RE.match(name):
        problems.append(error_entry("invalid.name", "Schema names match ^[A-Za-z][A-Za-z0-9_]{0,63}$.",
                                    field="name"))
    description = body.get("description") or ""
    if len(description) > MAX_DESCRIPTION:
        problems.append(error_entry("description.too.long", "At most %d characters." % MAX_DESCRIPTION,
                                    field="description"))
    fields = body.get("fields")
    if fields is None:
        problems.append(error_entry("required", "A schema needs fields.", field="fields"))
        fields = []
    if len(fields) > MAX_FIELDS:
        problems.append(error_entry("too.many.fields", "At most %d fields." % MAX_FIELDS, field="fields"))
    seen = {}
    for i, field in enumerate(fields):
        problems.extend(_field_problems(i, field, state, own_id, fields))
        fname = field.get("name")
        if isinstance(fname, str) and fname:
            if fname.lower() in seen:
                problems.append(error_entry("duplicate.field.name", "Field %s is defined twice (see fields[%d])."
                                            % (fname, seen[fname.lower()]), field="fields[%d].name" % i))
            seen.setdefault(fname.lower(), i)
    if problems:
        raise ApiError(422, "invalid.schema", "The schema definition is invalid (%d problems)." % len(problems),
                       errors=problems)
    return name, description, [_normalise_field(f) for f in fields]


def _check_name_free(state, name, own_id=None):
    other = state.schema_by_name(name, case_insensitive=True)
    if other is not None and other["id"] != own_id:
        raise ApiError(409, "duplicate.name", "A schema named %s already exists." % other["name"])


def changes_between(old_fields, new_fields):
    old = {f["name"]: f for f in old_fields}
    new = {f["name"]: f for f in new_fields}
    return {"added": [n for n in new if n not in old],
            "removed": [n for n in old if n not in new],
            "modified": [n for n in new if n in old and new[n] != old[n]]}


def _event_data(schema, changes):
    return {"schemaId": schema["id"], "schemaName": schema["name"], "version": schema["version"],
            "changes": changes}


def _emit(state, event_type, schema, changes):
    state.emit(event_type, _event_data(schema, changes), {"schemaId": schema["id"], "schemaName": schema["name"]})


# -- data-dependent checks --------------------------------------------------------------------

def _value_problem(old_type, new_field, value):
    """Convert one stored value to `new_field`; returns (code or None, converted value)."""
    new_type = new_field["type"]
    if old_type != new_type:
        ok, value = CONVERSIONS[(old_type, new_type)](value)
        if not ok:
            return "type.change.incompatible", None
    if new_type == "string":
        if new_field.get("options") is not None and value not in new_field["options"]:
            return "invalid.option", None
        if new_field.get("maxLength") is not None and len(value) > new_field["maxLength"]:
            return "max.length.exceeded", None
    return None, value


def check_data(state, schema, new_fields):
    """Check stored records against the new fields; returns converted values or raises 422."""
    records = sorted(state.records_of(schema["id"]).values(), key=lambda r: r["id"])
    old = {f["name"]: f for f in schema["fields"]}
    problems = []  # (code, field path, [record ids])
    converted = {r["id"]: {k: v for k, v in r["values"].items() if k in {f["name"] for f in new_fields}}
                 for r in records}
    for i, field in enumerate(new_fields):
        name, at = field["name"], "fields[%d]" % i
        prior = old.get(name)
        holders = [r["id"] for r in records if name in r["values"]] if prior else []
        if prior and prior["type"] != field["type"] and (prior["type"], field["type"]) not in CONVERSIONS:
            problems.append(("type.change.forbidden", at + ".type", holders,
                             "%s cannot change from %s to %s." % (name, prior["type"], field["type"])))
            continue
        bad = {}
        for rid in holders:
            code, value = _value_problem(prior["type"], field, converted[rid][name])
            if code:
                bad.setdefault(code, []).append(rid)
            else:
                converted[rid][name] = value
        for code, ids in bad.items():
            problems.append((code, at + (".type" if code.startswith("type") else ""), ids,
                             "Stored values of %s break the new definition." % name))
        if field["required"]:
            missing = [r["id"] for r in records if name not in converted[r["id"]]]
            if missing:
                problems.append(("required.field.missing", at + ".required", missing,
                                 "Records lack a value for %s." % name))
        if field["unique"] and not bad:
            by_value = {}
            for rid in holders:
                by_value.setdefault(canonical_number(converted[rid][name]), []).append(rid)
            repeated = sorted(rid for ids in by_value.values() if len(ids) > 1 for rid in ids)
            if repeated:
                problems.append(("unique.constraint.violation", at + ".unique", repeated,
                                 "Stored values of %s repeat." % name))
    if problems:
        code, _, ids, message = problems[0]
        errors = [error_entry(c, m, field=f, record_id=rid) for c, f, rids, m in problems
                  for rid in (rids[:MAX_DETAIL_IDS] or [None])]
        raise ApiError(422, code, message, details=ids[:MAX_DETAIL_IDS], errors=errors)
    return converted


# -- operations (the caller holds state.lock) -------------------------------------------------

def create_schema(state, body):
    name, description, fields = parse_definition(body, state)
    _check_name_free(state, name)
    now = now_ts()
    schema = {"id": new_id(), "name": name, "description": description, "version": 1, "fields": fields,
              "dateCreated": now, "dateModified": now}
    state.schemas[schema["id"]] = schema
    state.records[schema["id"]] = {}
    state.save()
    _emit(state, "data.flex.schema.created", schema, changes_between([], fields))
    return schema


def get_schema(state, schema_id):
    schema = state.schemas.get(schema_id)
    if schema is None:
        raise ApiError(404, "not.found", "No schema has id %s." % schema_id)
    return schema


def update_schema(state, schema, body):
    """Validate a full replacement (definition, then stored data), convert data, bump the version."""
    name, description, fields = parse_definition(body, state, own_id=schema["id"])
    _check_name_free(state, name, own_id=schema["id"])
    converted = check_data(state, schema, fields)
    for rid, values in converted.items():
        state.records[schema["id"]][rid]["values"] = values
    state.drop_index(schema["id"])  # values converted or dropped, unique flags changed: rebuilt on next use
    changes = changes_between(schema["fields"], fields)
    schema.update(name=name, description=description, fields=fields, version=schema["version"] + 1,
                  dateModified=now_ts())
    state.save()
    _emit(state, "data.flex.schema.updated", schema, changes)
    return schema


def delete_schema(state, schema, force=False):
    for other in state.schemas.values():
        if other["id"] != schema["id"] and any(
                f.get("relationship", {}).get("schemaId") == schema["id"] for f in other["fields"]):
            raise ApiError(409, "schema.in.use", "Schema %s has a relationship field that targets this schema."
                           % other["name"], details=[other["id"]])
    records = state.records_of(schema["id"])
    if records and not force:
        raise ApiError(409, "schema.has.records", "The schema still has %d records; use force=true." % len(records),
                       details=sorted(records)[:MAX_DETAIL_IDS])
    deleted_ids = sorted(records)
    del state.schemas[schema["id"]]
    state.records.pop(schema["id"], None)
    state.drop_index(schema["id"])
    state.save()
    _emit(state, "data.flex.schema.deleted", schema, changes_between(schema["fields"], []))
    if deleted_ids:
        state.emit("customobjects.records.changed",
                   {"schemaName": schema["name"], "created": [], "updated": [], "deleted": deleted_ids},
                   {"schemaId": schema["id"], "schemaName": schema["name"]})
