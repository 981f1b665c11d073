"""Task-management workitem schemas: `/api/v2/taskmanagement/workitems/schemas` (REAL_API.md §9).

A schema carries `version` in its body: a PUT sends the version it read and stores version + 1;
a stale version is answered 409 or 400 (realstate.stale_status decides, per schema name).
Every version is kept. A delete is soft: the schema still reads, with `"deleted": true`.
"""

import re
import uuid

from flask import Blueprint, g, jsonify

from .auth import require_scope
from .errors import ApiError
from .realstate import (app_state, bad_request, check_text, created, is_int, no_content, not_yet_readable,
                        raise_stale, use_object_ids)
from .util import is_number, new_id, now_ts, read_json_body

bp = Blueprint("workitems", __name__, url_prefix="/api/v2/taskmanagement/workitems/schemas")
use_object_ids(bp)

DRAFT_04 = "http://json-schema.org/draft-04/schema#"
CORE_TYPES = ("text", "longtext", "url", "identifier", "enum", "date", "datetime", "integer", "number",
              "checkbox", "tag")
TEXT_TYPES = ("text", "longtext", "url", "identifier")
CONSTRAINTS = {t: ("minLength", "maxLength") for t in TEXT_TYPES}
CONSTRAINTS.update({"integer": ("minimum", "maximum"), "number": ("minimum", "maximum"),
                    "enum": ("enum", "_enumProperties"), "tag": ("items", "minItems", "maxItems", "uniqueItems"),
                    "date": (), "datetime": (), "checkbox": ()})
PROPERTY_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
SCHEMA_KEYS = {"name", "enabled", "appliesTo", "jsonSchema", "version"}
READ_ONLY_KEYS = {"id", "dateCreated", "createdBy", "selfUri", "deleted"}
JSON_SCHEMA_KEYS = {"$schema", "title", "description", "type", "properties", "required", "additionalProperties"}
MAX_NAME, MAX_DESCRIPTION = 50, 512


def schema_not_found(schema_id):
    return ApiError(404, "not.found", "No workitem schema has id %s." % schema_id)


def get_schema(state, schema_id, live=False):
    schema = state.workitem_schemas.get(schema_id)
    if schema is None or (live and schema["deleted"]):
        raise schema_not_found(schema_id)
    return schema


VIEW_ORDER = ("id", "name", "version", "enabled", "appliesTo", "jsonSchema", "deleted", "dateCreated", "createdBy",
              "dateModified", "modifiedBy")


def schema_view(schema, version=None):
    stored = dict(version or schema["versions"][-1], deleted=schema["deleted"])
    body = {key: _copy(stored[key]) for key in VIEW_ORDER if key in stored}
    body["selfUri"] = "/api/v2/taskmanagement/workitems/schemas/%s" % schema["id"]
    return body


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _bound_problems(at, prop, low, high, integral):
    problems = []
    for key in (low, high):
        if key in prop and not (is_int(prop[key]) if integral else is_number(prop[key])):
            problems.append("%s.%s must be %s" % (at, key, "a whole number" if integral else "a number"))
    if not problems and low in prop and high in prop and prop[low] > prop[high]:
        problems.append("%s: %s is greater than %s" % (at, low, high))
    if integral and not problems and any(prop.get(k, 0) < 0 for k in (low, high)):
        problems.append("%s: %s and %s must be >= 0" % (at, low, high))
    return problems


def _enum_problems(at, prop):
    values = prop.get("enum")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values) \
            or len(set(values)) != len(values):
        return ["%s.enum must be one or more distinct, non-empty strings" % at]
    extras = prop.setdefault("_enumProperties", {})
    if not isinstance(extras, dict):
        return ["%s._enumProperties must be an object" % at]
    problems = ["%s._enumProperties.%s is not one of enum" % (at, k) for k in extras if k not in values]
    for value in values:
        entry = extras.setdefault(value, {"title": value, "_disabled": False})
        if not isinstance(entry, dict) or set(entry) - {"title", "_disabled"} \
                or not isinstance(entry.setdefault("title", value), str) \
                or not isinstance(entry.setdefault("_disabled", False), bool):
            problems.append('%s._enumProperties.%s must be {"title": str, "_disabled": bool}' % (at, value))
    prop["_enumProperties"] = {value: extras[value] for value in values}  # in enum order
    return problems


def _tag_problems(at, prop):
    problems = _bound_problems(at, prop, "minItems", "maxItems", True)
    items = prop.get("items")
    if items is not None and (not isinstance(items, dict) or set(items) - {"type", "minLength", "maxLength"}
                              or items.get("type", "string") != "string"):
        problems.append('%s.items must be {"type": "string", "minLength"?, "maxLength"?}' % at)
    elif items is not None:
        problems.extend(_bound_problems(at + ".items", items, "minLength", "maxLength", True))
    if "uniqueItems" in prop and not isinstance(prop["uniqueItems"], bool):
        problems.append("%s.uniqueItems must be a boolean" % at)
    return problems


def _property_problems(key, raw):
    at = "jsonSchema.properties.%s" % key[:100]
    if not isinstance(raw, dict):
        return ["%s must be an object" % at]
    ref = raw.get("allOf")
    core = None
    if isinstance(ref, list) and len(ref) == 1 and isinstance(ref[0], dict) and set(ref[0]) == {"$ref"} \
            and isinstance(ref[0]["$ref"], str) and ref[0]["$ref"].startswith("#/definitions/"):
        core = ref[0]["$ref"][len("#/definitions/"):]
    if core not in CORE_TYPES:
        return ['%s.allOf must be [{"$ref": "#/definitions/<core type>"}], the core types being %s'
                % (at, ", ".join(CORE_TYPES))]
    problems = []
    if not PROPERTY_KEY_RE.match(key) or not key.endswith("_" + core) or key == "_" + core:
        problems.append("%s: a property's key is {name}_{core type}; this one's core type is %s (key %s_%s)"
                        % (at, core, key.rsplit("_", 1)[0] if "_" in key else key, core))
    allowed = {"allOf", "title", "description"} | set(CONSTRAINTS[core])
    unknown = sorted(k for k in raw if k not in allowed)
    if unknown:
        problems.append("%s: %s not allowed for core type %s" % (at, ", ".join(unknown), core))
    for text in ("title", "description"):
        if text in raw and not isinstance(raw[text], str):
            problems.append("%s.%s must be a string" % (at, text))
    if core in TEXT_TYPES:
        problems.extend(_bound_problems(at, raw, "minLength", "maxLength", True))
    elif core in ("integer", "number"):
        problems.extend(_bound_problems(at, raw, "minimum", "maximum", core == "integer"))
    elif core == "enum":
        problems.extend(_enum_problems(at, raw))
    elif core == "tag":
        problems.extend(_tag_problems(at, raw))
    return problems


def parse_schema_body(state, body):
    """Validate a POST or PUT body; returns its stored fields (name, enabled, appliesTo, jsonSchema)."""
    if not isinstance(body, dict):
        raise ApiError(400, "bad.request", "The body must be a JSON object.")
    problems = ["unknown property %s" % k for k in sorted(body) if k not in SCHEMA_KEYS | READ_ONLY_KEYS]
    name = check_text(problems, body, "name", 1, MAX_NAME)
    if "version" in body and not is_int(body["version"]):
        problems.append("version must be a whole number")
    enabled = body.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append("enabled must be a boolean")
    applies = body.get("appliesTo", ["WORKITEM"])
    if applies != ["WORKITEM"]:
        problems.append('appliesTo must be ["WORKITEM"]')
    raw = body.get("jsonSchema")
    json_schema = None
    if not isinstance(raw, dict):
        problems.append("jsonSchema is required (an object)")
    else:
        json_schema = _copy(raw)
        problems.extend("jsonSchema: unknown key %s" % k for k in sorted(raw) if k not in JSON_SCHEMA_KEYS)
        if raw.get("$schema", DRAFT_04) != DRAFT_04:
            problems.append("jsonSchema.$schema must be %s" % DRAFT_04)
        if raw.get("type", "object") != "object":
            problems.append("jsonSchema.type must be object")
        known = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
        if "required" in raw and not (isinstance(raw["required"], list) and all(
                isinstance(r, str) and r in known for r in raw["required"])):
            problems.append("jsonSchema.required must list properties of the schema")
        if "additionalProperties" in raw and not isinstance(raw["additionalProperties"], bool):
            problems.append("jsonSchema.additionalProperties must be a boolean")
        check_text(problems, raw, "title", 1, MAX_NAME, required=False)
        check_text(problems, raw, "description", 0, MAX_DESCRIPTION, required=False)
        properties = json_schema.get("properties", {})
        if not isinstance(properties, dict):
            problems.append("jsonSchema.properties must be an object")
        else:
            for key, prop in properties.items():
                problems.extend(_property_problems(key, prop))
            if len(properties) > state.limits["max_schema_properties"]:
                problems.append("a workitem schema has at most %d properties; this one has %d"
                                % (state.limits["max_schema_properties"], len(properties)))
        json_schema["$schema"] = DRAFT_04
        if json_schema.get("title") is None:
            json_schema["title"] = name
        if json_schema.get("description") is None:
            json_schema["description"] = ""
        json_schema["properties"] = properties
    bad_request(problems)
    return {"name": name, "enabled": enabled, "appliesTo": ["WORKITEM"], "jsonSchema": json_schema}


def _check_name_free(state, name, own_id=None):
    for other in state.workitem_schemas.values():
        if not other["deleted"] and other["name"].lower() == name.lower() and other["id"] != own_id:
            raise ApiError(409, "duplicate.name", "A workitem schema named %s already exists." % other["name"])


def _creator():
    client = getattr(g, "client_id", None) or "system"
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, "genesys-emulator:client:" + client))}


# -- routes ----------------------------------------------------------------------------------------

@bp.get("")
def list_schemas():
    require_scope("workitems:readonly")
    state = app_state()
    with state.lock:
        return jsonify({"entities": [schema_view(s) for s in state.workitem_schemas.values()]})


@bp.get("/limits")
def limits():
    require_scope("workitems:readonly")
    state = app_state()
    with state.lock:
        return jsonify({"maxNumberOfSchemasPerOrg": state.limits["max_schemas"],
                        "maxNumberOfFieldsPerSchema": state.limits["max_schema_properties"],
                        "minSchemaNameCharacters": 1, "maxSchemaNameCharacters": MAX_NAME,
                        "selfUri": "/api/v2/taskmanagement/workitems/schemas/limits"})


@bp.post("")
def create_schema():
    require_scope("workitems")
    body = read_json_body()
    state = app_state()
    with state.lock:
        fields = parse_schema_body(state, body)
        _check_name_free(state, fields["name"])
        live = sum(1 for s in state.workitem_schemas.values() if not s["deleted"])
        if live >= state.limits["max_schemas"]:
            raise ApiError(400, "bad.request", "An org has at most %d workitem schemas." % state.limits["max_schemas"])
        schema_id = new_id()
        version = dict(fields, id=schema_id, version=1, dateCreated=now_ts(), createdBy=_creator())
        schema = {"id": schema_id, "name": fields["name"], "deleted": False, "versions": [version]}
        state.workitem_schemas[schema_id] = schema
        created(state, schema_id)
        state.save()
        return jsonify(schema_view(schema))


@bp.get("/<oid:schema_id>")
def read_schema(schema_id):
    require_scope("workitems:readonly")
    state = app_state()
    with state.lock:
        schema = get_schema(state, schema_id)
        if not_yet_readable(state, schema_id):
            raise schema_not_found(schema_id)
        return jsonify(schema_view(schema))


@bp.put("/<oid:schema_id>")
def replace_schema(schema_id):
    require_scope("workitems")
    body = read_json_body()
    state = app_state()
    with state.lock:
        schema = get_schema(state, schema_id, live=True)
        sent = body.get("version") if isinstance(body, dict) else None
        if not is_int(sent):
            raise ApiError(400, "bad.request", "version is required: the version you read.")
        fields = parse_schema_body(state, body)
        current = schema["versions"][-1]["version"]
        if sent != current:
            raise_stale(state, "workitem_schema", schema["name"], sent, current)
        _check_name_free(state, fields["name"], own_id=schema_id)
        first = schema["versions"][0]
        schema["versions"].append(dict(fields, id=schema_id, version=current + 1, dateCreated=first["dateCreated"],
                                       createdBy=first["createdBy"], dateModified=now_ts(), modifiedBy=_creator()))
        schema["name"] = fields["name"]
        state.save()
        return jsonify(schema_view(schema))


@bp.delete("/<oid:schema_id>")
def delete_schema(schema_id):
    require_scope("workitems")
    state = app_state()
    with state.lock:
        schema = get_schema(state, schema_id, live=True)
        schema["deleted"] = True
        state.unread.pop(schema_id, None)
        state.save()
    return no_content()


@bp.get("/<oid:schema_id>/versions")
def list_versions(schema_id):
    require_scope("workitems:readonly")
    state = app_state()
    with state.lock:
        schema = get_schema(state, schema_id)
        return jsonify({"entities": [schema_view(schema, v) for v in schema["versions"]]})


@bp.get("/<oid:schema_id>/versions/<number>")
def read_version(schema_id, number):
    require_scope("workitems:readonly")
    if not re.match(r"^[0-9]{1,9}$", number):
        raise ApiError(400, "bad.request", "A version number is a whole number, not %r." % number[:40])
    state = app_state()
    with state.lock:
        schema = get_schema(state, schema_id)
        version = next((v for v in schema["versions"] if v["version"] == int(number)), None)
        if version is None:
            raise ApiError(404, "not.found", "Workitem schema %s has no version %s." % (schema["name"], number))
        return jsonify(schema_view(schema, version))
