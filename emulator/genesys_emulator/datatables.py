"""Architect data tables: `/api/v2/flows/datatables` (REAL_API.md §8).

A table's schema is draft-04 style JSON Schema with a string `key`, `required: ["key"]` and
`additionalProperties: false`. Schema changes are additive only, and there is no version:
the last writer wins. Rows and the CSV import job live in datatable_rows.py.
"""

import re

from flask import Blueprint, jsonify, request

from .auth import require_scope
from .errors import ApiError
from .paging import page
from .realstate import (HOME_DIVISION_ID, app_state, bad_request, check_text, created, flag, is_int, no_content,
                        not_yet_readable)
from .util import canonical_number, is_number, new_id, read_json_body

bp = Blueprint("datatables", __name__, url_prefix="/api/v2/flows/datatables")

DRAFT_04 = "http://json-schema.org/draft-04/schema#"
TYPES = ("string", "integer", "number", "boolean")
PROPERTY_NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
PROPERTY_KEYS = {"$id", "title", "type", "displayOrder", "default", "minLength", "maxLength"}
SCHEMA_KEYS = {"$schema", "type", "required", "additionalProperties", "properties"}
TABLE_KEYS = {"name", "description", "division", "schema"}
READ_ONLY_KEYS = {"id", "selfUri"}
MAX_NAME, MAX_DESCRIPTION, MAX_KEY_LENGTH = 256, 512, 256
HOME_DIVISION = {"id": HOME_DIVISION_ID, "name": "Home",
                 "selfUri": "/api/v2/authorization/divisions/%s" % HOME_DIVISION_ID}
FILL = {"string": "", "integer": 0, "number": 0, "boolean": False}  # a property's value without a default
SCHEMA_EXCEPTION = "flows.datatables.schema.exception"


def table_not_found(table_id):
    return ApiError(404, "flows.datatables.table.not.found", "No data table has id %s." % table_id)


def get_table(state, table_id):
    table = state.datatables.get(table_id)
    if table is None:
        raise table_not_found(table_id)
    return table


def table_view(table, expand):
    body = {"id": table["id"], "name": table["name"]}
    if expand:
        body["description"] = table["description"]
    body["division"] = dict(table["division"])
    if expand:
        body["schema"] = _copy_schema(table["schema"])
    body["selfUri"] = "/api/v2/flows/datatables/%s" % table["id"]
    return body


def _copy_schema(schema):
    out = dict(schema, required=list(schema["required"]))
    out["properties"] = {name: dict(prop) for name, prop in schema["properties"].items()}
    return out


def fill_value(prop):
    """What the server stores for a property a row leaves out: its default, else "", 0 or false."""
    return prop["default"] if "default" in prop else FILL[prop["type"]]


def _expand():
    raw = request.args.get("expand")
    if raw is None:
        return False
    if raw != "schema":
        raise ApiError(400, "bad.request", "expand takes only schema, not %r." % raw[:40])
    return True


# -- the schema ------------------------------------------------------------------------------------

def _property(name, raw, position, problems):
    """A validated, server-filled property definition (problems are appended, naming it)."""
    at = "schema.properties.%s" % name[:64]
    if not PROPERTY_NAME_RE.match(name):
        problems.append("%s: property names match ^[A-Za-z0-9_]{1,64}$" % at)
    if not isinstance(raw, dict):
        problems.append("%s must be an object" % at)
        return None
    unknown = sorted(k for k in raw if k not in PROPERTY_KEYS)
    if unknown:
        problems.append("%s: unknown keys %s (a property takes %s)" % (at, ", ".join(unknown),
                                                                       ", ".join(sorted(PROPERTY_KEYS))))
    ptype = raw.get("type")
    if ptype not in TYPES:
        problems.append("%s.type must be one of %s" % (at, ", ".join(TYPES)))
        return None
    prop = {"$id": "/properties/%s" % name}
    if raw.get("$id") is not None and raw["$id"] != prop["$id"]:
        problems.append("%s.$id must be %s" % (at, prop["$id"]))
    if raw.get("title") is not None:
        if not isinstance(raw["title"], str):
            problems.append("%s.title must be a string" % at)
        prop["title"] = raw["title"]
    prop["type"] = ptype
    order = raw.get("displayOrder", position)
    if not is_int(order) or order < 0:
        problems.append("%s.displayOrder must be a whole number >= 0" % at)
    prop["displayOrder"] = order
    for bound in ("minLength", "maxLength"):
        if raw.get(bound) is None:
            continue
        if ptype != "string":
            problems.append("%s.%s is for string properties only" % (at, bound))
        elif not is_int(raw[bound]) or raw[bound] < 0:
            problems.append("%s.%s must be a whole number >= 0" % (at, bound))
        prop[bound] = raw[bound]
    if name == "key":
        if ptype != "string":
            problems.append("%s: the key property must be of type string" % at)
        prop.setdefault("minLength", 1)
        prop.setdefault("maxLength", MAX_KEY_LENGTH)
        if is_int(prop["maxLength"]) and prop["maxLength"] > MAX_KEY_LENGTH:
            problems.append("%s.maxLength must be at most %d" % (at, MAX_KEY_LENGTH))
        if raw.get("default") is not None:
            problems.append("%s: the key property takes no default" % at)
    elif raw.get("default") is not None:
        problems.extend("%s.default %s" % (at, p) for p in value_problems(prop, raw["default"]))
        prop["default"] = canonical_number(raw["default"]) if ptype in ("integer", "number") else raw["default"]
    low, high = prop.get("minLength"), prop.get("maxLength")
    if is_int(low) and is_int(high) and low > high:
        problems.append("%s: minLength is greater than maxLength" % at)
    return prop


def value_problems(prop, value):
    """Why `value` is not a value of the property (empty when it is)."""
    ptype = prop["type"]
    ok = {"string": isinstance(value, str), "boolean": isinstance(value, bool), "number": is_number(value),
          "integer": is_int(value) or (is_number(value) and float(value).is_integer())}[ptype]
    if not ok:
        return ["must be of type %s" % ptype]
    if ptype == "string":
        if "maxLength" in prop and len(value) > prop["maxLength"]:
            return ["is longer than its maxLength %d" % prop["maxLength"]]
        if "minLength" in prop and len(value) < prop["minLength"]:
            return ["is shorter than its minLength %d" % prop["minLength"]]
    return []


def parse_schema(raw, problems, shape_code_problems):
    """The stored form of a table schema. `shape_code_problems` gets the problems with `required`
    and `additionalProperties` (a PUT answers them as schema exceptions, a POST as bad requests)."""
    if not isinstance(raw, dict):
        problems.append("schema must be an object")
        return None
    unknown = sorted(k for k in raw if k not in SCHEMA_KEYS)
    if unknown:
        problems.append("schema: unknown keys %s" % ", ".join(unknown))
    if raw.get("$schema") not in (None, DRAFT_04):
        problems.append("schema.$schema must be %s" % DRAFT_04)
    if raw.get("type", "object") != "object":
        problems.append("schema.type must be object")
    if raw.get("required") != ["key"]:
        shape_code_problems.append('schema.required must be exactly ["key"]')
    if raw.get("additionalProperties") is not False:
        shape_code_problems.append("schema.additionalProperties must be false")
    properties = raw.get("properties")
    if not isinstance(properties, dict):
        problems.append("schema.properties must be an object")
        return None
    if "key" not in properties:
        problems.append("schema.properties must have the property key (type string)")
    props = {}
    for position, (name, prop) in enumerate(properties.items()):
        parsed = _property(name, prop, position, problems)
        if parsed is not None:
            props[name] = parsed
    return {"$schema": DRAFT_04, "type": "object", "required": ["key"], "additionalProperties": False,
            "properties": props}


def schema_change_problems(old, new):
    """What a PUT may not change: removals, types, names, minLength and maxLength (additive only)."""
    problems = []
    for name, before in old["properties"].items():
        after = new["properties"].get(name)
        if after is None:
            problems.append("property %s cannot be removed (schema changes are additive only)" % name)
            continue
        if after["type"] != before["type"]:
            problems.append("property %s cannot change its type from %s to %s" % (name, before["type"], after["type"]))
        for bound in ("minLength", "maxLength"):
            if after.get(bound) != before.get(bound):
                problems.append("property %s cannot change its %s" % (name, bound))
    return problems


def parse_table(state, body, old=None):
    """Validate a POST or PUT body; returns (name, description, division, schema) or raises 400."""
    if not isinstance(body, dict):
        raise ApiError(400, "bad.request", "The body must be a JSON object.")
    problems, shape = [], []
    unknown = sorted(k for k in body if k not in TABLE_KEYS | READ_ONLY_KEYS)
    if unknown:
        problems.append("unknown properties %s" % ", ".join(unknown))
    name = check_text(problems, body, "name", 1, MAX_NAME)
    description = check_text(problems, body, "description", 0, MAX_DESCRIPTION, required=False) or ""
    division = body.get("division")
    if division is None:
        division = old["division"] if old else dict(HOME_DIVISION)
    elif not isinstance(division, dict) or division.get("id") != HOME_DIVISION_ID:
        problems.append("division.id must name a division of this org (%s)" % HOME_DIVISION_ID)
    else:
        division = dict(HOME_DIVISION)
    if "schema" not in body:
        problems.append("schema is required")
        schema = None
    else:
        schema = parse_schema(body["schema"], problems, shape)
    if old is None:
        bad_request(problems + shape)
    else:
        bad_request(problems)
        bad_request(shape + schema_change_problems(old["schema"], schema), code=SCHEMA_EXCEPTION)
    extra = len([p for p in schema["properties"] if p != "key"])
    if extra > state.limits["max_properties"]:
        raise ApiError(400, "flows.datatables.too.many.properties",
                       "A data table has at most %d properties besides key; this one has %d."
                       % (state.limits["max_properties"], extra))
    return name, description, division, schema


def _check_name_free(state, name, own_id=None):
    for table in state.datatables.values():
        if table["name"].lower() == name.lower() and table["id"] != own_id:
            raise ApiError(409, "duplicate.name", "A data table named %s already exists." % table["name"])


def name_matcher(pattern):
    """The list's `name` filter: case-insensitive, `*` matches any run of characters."""
    regex = re.compile("^%s$" % ".*".join(re.escape(part) for part in pattern.split("*")), re.IGNORECASE)
    return lambda name: bool(regex.match(name))


# -- routes ----------------------------------------------------------------------------------------

@bp.get("")
def list_tables():
    require_scope("architect:readonly")
    expand = _expand()
    pattern = request.args.get("name")
    matches = name_matcher(pattern) if pattern is not None else (lambda _: True)
    state = app_state()
    with state.lock:
        items = [table_view(t, expand) for t in state.datatables.values() if matches(t["name"])]
    query = {key: request.args[key] for key in ("name", "expand") if key in request.args}
    return jsonify(page(items, 100, query or None))


@bp.post("")
def create_table():
    require_scope("architect")
    body = read_json_body()
    state = app_state()
    with state.lock:
        name, description, division, schema = parse_table(state, body)
        _check_name_free(state, name)
        if len(state.datatables) >= state.limits["max_tables"]:
            raise ApiError(400, "flows.datatables.too.many.tables",
                           "An org has at most %d data tables." % state.limits["max_tables"])
        table = {"id": new_id(), "name": name, "description": description, "division": division, "schema": schema}
        state.datatables[table["id"]] = table
        state.datatable_rows[table["id"]] = {}
        created(state, table["id"])
        state.save()
        return jsonify(table_view(table, True))


@bp.get("/<table_id>")
def read_table(table_id):
    require_scope("architect:readonly")
    expand = _expand()
    state = app_state()
    with state.lock:
        table = get_table(state, table_id)
        if not_yet_readable(state, table_id):
            raise table_not_found(table_id)
        return jsonify(table_view(table, expand))


@bp.put("/<table_id>")
def replace_table(table_id):
    require_scope("architect")
    body = read_json_body()
    state = app_state()
    with state.lock:
        table = get_table(state, table_id)
        name, description, division, schema = parse_table(state, body, old=table)
        _check_name_free(state, name, own_id=table_id)
        added = [p for p in schema["properties"] if p not in table["schema"]["properties"]]
        for row in state.datatable_rows[table_id].values():
            for prop in added:
                row[prop] = fill_value(schema["properties"][prop])
        table.update(name=name, description=description, division=division, schema=schema)
        state.save()
        return jsonify(table_view(table, True))


@bp.delete("/<table_id>")
def delete_table(table_id):
    require_scope("architect")
    force = flag("force", False)
    state = app_state()
    with state.lock:
        table = get_table(state, table_id)
        if table_id in state.tables_in_use and not force:
            raise ApiError(409, "flows.datatables.table.in.use",
                           "Data table %s is used by a flow; delete it with force=true." % table["name"])
        del state.datatables[table_id]
        state.datatable_rows.pop(table_id, None)
        state.tables_in_use.discard(table_id)
        state.unread.pop(table_id, None)
        for job_id in [j for j, job in state.import_jobs.items() if job["tableId"] == table_id]:
            del state.import_jobs[job_id]
        state.save()
    return no_content()
