# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A workitem schema in the user's shape and in the API's (REAL_API.md §9), and the checks of the user's input.

The user writes ``fields: [{name, type, title, ...}]``; the API stores ``jsonSchema.properties`` keyed
``{name}_{type}`` whose ``allOf`` names the core type. A field is compared in the user's shape, with
only the keys it has (``title`` defaults to the field's name).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.options import FIELD_TYPES

SCHEMAS_PATH = "/api/v2/taskmanagement/workitems/schemas"
DRAFT_04 = "http://json-schema.org/draft-04/schema#"
MAX_NAME, MAX_DESCRIPTION, MAX_KEY = 50, 512, 100
FIELD_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
TEXT_TYPES = ("text", "longtext", "url", "identifier")
# The options each type takes besides name, type, title and description.
TYPE_OPTIONS = dict((t, ("min_length", "max_length")) for t in TEXT_TYPES)
TYPE_OPTIONS.update(integer=("minimum", "maximum"), number=("minimum", "maximum"), enum=("values",),
                    tag=("min_length", "max_length", "minimum", "maximum"), date=(), datetime=(), checkbox=())
CONSTRAINT_OPTIONS = ("min_length", "max_length", "minimum", "maximum", "values")
# user option -> API key, per family (a tag's lengths are those of each tag; minimum/maximum count tags)
TEXT_KEYS = dict(min_length="minLength", max_length="maxLength")
NUMBER_KEYS = dict(minimum="minimum", maximum="maximum")
TAG_KEYS = dict(minimum="minItems", maximum="maxItems")


def property_key(field):
    return "%s_%s" % (field["name"], field["type"])


def _number(value):
    """5.0 -> 5: floats from the option parser that are whole numbers are sent and compared as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def normal_field(field):
    """A user field with only the keys that say something (title defaults to the name)."""
    normal = dict(name=field["name"], type=field["type"], title=field.get("title") or field["name"])
    if field.get("description"):
        normal["description"] = field["description"]
    for option in CONSTRAINT_OPTIONS:
        if field.get(option) is not None:
            normal[option] = _number(field[option]) if option in ("minimum", "maximum") else field[option]
    return normal


def field_problems(index, field):
    """Why a user field cannot be stored, one sentence each, naming the field."""
    at = "fields[%d] (%s)" % (index, (field.get("name") or "")[:60])
    problems = []
    name, kind = field.get("name") or "", field.get("type")
    if not FIELD_NAME_RE.match(name) or len(name) + 1 + len(kind or "") > MAX_KEY:
        problems.append("%s: a field name starts with a letter and has only letters, digits and _, at most %d "
                        "characters for a %s field" % (at, MAX_KEY - 1 - len(kind or ""), kind))
    if kind not in FIELD_TYPES:
        return problems + ["%s: type must be one of %s" % (at, ", ".join(FIELD_TYPES))]
    allowed = TYPE_OPTIONS[kind]
    for option in CONSTRAINT_OPTIONS:
        if field.get(option) is not None and option not in allowed:
            problems.append("%s: %s does not apply to a %s field (it takes %s)"
                            % (at, option, kind, ", ".join(allowed) or "no constraints"))
    for low, high in (("min_length", "max_length"), ("minimum", "maximum")):
        lo, hi = field.get(low), field.get(high)
        if lo is not None and hi is not None and lo > hi:
            problems.append("%s: %s is greater than %s" % (at, low, high))
    whole = ("min_length", "max_length") + (("minimum", "maximum") if kind in ("integer", "tag") else ())
    for option in whole:
        value = field.get(option)
        if value is not None and (value < 0 if option.endswith("length") or kind == "tag" else False):
            problems.append("%s: %s must be 0 or more" % (at, option))
        if value is not None and isinstance(value, float) and not value.is_integer():
            problems.append("%s: %s must be a whole number for type %s" % (at, option, kind))
    if kind == "enum":
        values = field.get("values") or []
        if not values or not all(values) or len(set(values)) != len(values):
            problems.append("%s: an enum field needs values, one or more distinct non-empty strings" % at)
    return problems


def schema_problems(params):
    """Every problem of a workitem schema task's input, before any request."""
    problems = []
    name = params.get("name") or ""
    if not 1 <= len(name) <= MAX_NAME:
        problems.append("name must be 1 to %d characters (it has %d)" % (MAX_NAME, len(name)))
    if params.get("description") is not None and len(params["description"]) > MAX_DESCRIPTION:
        problems.append("description must be at most %d characters" % MAX_DESCRIPTION)
    seen = {}
    for index, field in enumerate(params.get("fields") or []):
        problems.extend(field_problems(index, field))
        key = (field.get("name") or "").lower()
        if key in seen:
            problems.append("fields[%d] (%s): the name is already used by fields[%d]"
                            % (index, field["name"][:60], seen[key]))
        seen.setdefault(key, index)
    return problems


def to_property(field):
    """``(key, property)`` of a normal user field."""
    kind = field["type"]
    prop = {"allOf": [{"$ref": "#/definitions/%s" % kind}], "title": field["title"]}
    if field.get("description"):
        prop["description"] = field["description"]
    if kind in TEXT_TYPES:
        prop.update((TEXT_KEYS[o], field[o]) for o in TEXT_KEYS if o in field)
    elif kind in ("integer", "number"):
        prop.update((NUMBER_KEYS[o], field[o]) for o in NUMBER_KEYS if o in field)
    elif kind == "enum":
        prop["enum"] = list(field["values"])
        prop["_enumProperties"] = dict((v, {"title": v, "_disabled": False}) for v in field["values"])
    elif kind == "tag":
        prop.update((TAG_KEYS[o], field[o]) for o in TAG_KEYS if o in field)
        items = dict((TEXT_KEYS[o], field[o]) for o in TEXT_KEYS if o in field)
        if items:
            prop["items"] = dict(items, type="string")
    return property_key(field), prop


def core_type(prop):
    ref = ((prop.get("allOf") or [{}])[0] or {}).get("$ref", "") if isinstance(prop, dict) else ""
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/definitions/") else None


def to_field(key, prop):
    """The normal user field of a stored property (a key without its ``_{type}`` suffix keeps it whole)."""
    kind = core_type(prop) or "text"
    suffix = "_" + kind
    name = key[:-len(suffix)] if key.endswith(suffix) and len(key) > len(suffix) else key
    field = dict(name=name, type=kind, title=prop.get("title") or name)
    if prop.get("description"):
        field["description"] = prop["description"]
    if kind in TEXT_TYPES:
        field.update((o, prop[k]) for o, k in TEXT_KEYS.items() if k in prop)
    elif kind in ("integer", "number"):
        field.update((o, prop[k]) for o, k in NUMBER_KEYS.items() if k in prop)
    elif kind == "enum":
        field["values"] = list(prop.get("enum") or [])
    elif kind == "tag":
        field.update((o, prop[k]) for o, k in TAG_KEYS.items() if k in prop)
        field.update((o, (prop.get("items") or {})[k]) for o, k in TEXT_KEYS.items() if k in (prop.get("items") or {}))
    return field


def stored_fields(schema):
    properties = (schema.get("jsonSchema") or {}).get("properties") or {}
    return [to_field(key, prop) for key, prop in properties.items()]


def to_user(schema):
    """A stored schema in the module's shape, with its id and version."""
    json_schema = schema.get("jsonSchema") or {}
    return dict(name=schema.get("name"), description=json_schema.get("description") or "",
                enabled=schema.get("enabled", True), fields=stored_fields(schema), id=schema.get("id"),
                version=schema.get("version"))


def create_body(user):
    """The POST body of a new schema from its user shape."""
    properties = dict(to_property(field) for field in user["fields"])
    return {"name": user["name"], "enabled": user["enabled"], "appliesTo": ["WORKITEM"],
            "jsonSchema": {"$schema": DRAFT_04, "title": user["name"], "description": user["description"],
                           "type": "object", "properties": properties}}


def find_live(schemas, name):
    """The live (not deleted) schema called ``name`` (case-insensitive), or None."""
    wanted = name.lower()
    return next((s for s in schemas if not s.get("deleted") and (s.get("name") or "").lower() == wanted), None)
