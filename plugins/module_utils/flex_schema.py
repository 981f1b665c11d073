# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Flex schema logic as plain functions: validate, normalise, plan, compare, describe.

Three shapes of a schema meet here:

- the *user* shape (what ``flex_schema`` takes and ``flex_schema_info`` returns): snake_case,
  relationships name their target schema (``{schema: accounts, field: id}``);
- the *API* shape (contract section 4): camelCase, relationships carry ``{schemaId, fieldName}``;
- the *readable* shape used for ``--diff``: fields keyed by name, only what a person needs.

An update is planned as an *intent* (fields to set, field names to remove, maybe a new
description) and applied to whatever schema was read, so that after a 409 it can be applied
again to the fresh schema without undoing another administrator's change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from jsonschema import Draft7Validator
    HAS_JSONSCHEMA = True
    JSONSCHEMA_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the modules through missing_required_lib
    HAS_JSONSCHEMA = False
    JSONSCHEMA_IMPORT_ERROR = exc

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError

SCHEMAS_PATH = "/api/v2/data/flex/schemas"
TYPES = ("string", "number", "boolean", "date", "relationship")
UNIQUE_TYPES = ("string", "number")
NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,63}$"
RESERVED_NAMES = frozenset(("id", "version", "datecreated", "datemodified", "conflictresolution"))
MAX_FIELDS = 100
MAX_DESCRIPTION = 512
# The client-side policy of seed 000, step 3: every other type change needs the user's consent.
SAFE_TYPE_CHANGES = frozenset((("string", "date"), ("number", "boolean"), ("boolean", "number")))
SAFE_CHANGES_TEXT = "same type, string to date, number to boolean, boolean to number"
# Stands for the id of a schema that is being created and refers to itself.
SELF_ID = "(this schema)"
# Prefixes the name of a target schema that does not exist yet (check mode only: an earlier task
# of the same run may create it).
PENDING_PREFIX = "(not created yet) "

_NAME = {"type": "string", "pattern": NAME_PATTERN}
_TEXT = {"type": ["string", "null"], "minLength": 1}
_RELATIONSHIP = {
    "type": ["object", "null"], "additionalProperties": False,
    "properties": {"schema": _NAME, "schema_id": _TEXT, "schemaId": _TEXT,
                   "field": _TEXT, "field_name": _TEXT, "fieldName": _TEXT},
}
_LENGTH = {"type": ["integer", "null"], "minimum": 1, "maximum": 10000}
_FIELD = {
    "type": "object", "additionalProperties": False, "required": ["name", "type"],
    "properties": {
        "name": _NAME, "type": {"enum": list(TYPES)},
        "required": {"type": ["boolean", "null"]}, "unique": {"type": ["boolean", "null"]},
        "options": {"type": ["array", "null"], "items": {"type": "string"}, "minItems": 1, "uniqueItems": True},
        "max_length": _LENGTH, "maxLength": _LENGTH, "relationship": _RELATIONSHIP,
    },
}
DEFINITION_SCHEMA = {
    "type": "object", "required": ["name"],
    "properties": {
        "name": _NAME,
        "description": {"type": ["string", "null"], "maxLength": MAX_DESCRIPTION},
        "fields": {"type": ["array", "null"], "maxItems": MAX_FIELDS, "items": _FIELD},
    },
}


class SchemaChangeRefused(InputError):
    """A planned change that the safety checks refuse; carries the change summary for the result."""

    def __init__(self, problems, changes, what):
        self.changes = changes
        super(SchemaChangeRefused, self).__init__(problems, what=what, result_extra=dict(changes=changes))


def path_text(parts):
    """``fields[3].type`` from ``['fields', 3, 'type']``."""
    text = ""
    for part in parts:
        text += "[%d]" % part if isinstance(part, int) else ("." if text else "") + str(part)
    return text or "(the definition)"


def _pick(mapping, *keys):
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    return None


# -- validation of the user's definition --------------------------------------------------------

_VALIDATORS = []


def _definition_validator():
    """One validator per process: building it (and its reference resolver) costs more than checking a definition."""
    if not _VALIDATORS:
        _VALIDATORS.append(Draft7Validator(DEFINITION_SCHEMA))
    return _VALIDATORS[0]


def definition_problems(definition, purge_fields=False):
    """Every problem of a user-shaped definition that can be found without asking the server."""
    problems = []
    broken = set()
    for error in sorted(_definition_validator().iter_errors(definition), key=lambda e: list(e.path)):
        where = list(error.absolute_path)
        problems.append("%s: %s" % (path_text(where), limit_message(error)))
        if len(where) >= 2 and where[0] == "fields":
            broken.add(where[1])
    fields = definition.get("fields")
    if purge_fields and fields is None:
        problems.append("fields: purge_fields needs the complete list of fields (give fields: [] to remove all)")
    if not isinstance(fields, list):
        return problems
    seen = {}
    for index, field in enumerate(fields):
        if index in broken or not isinstance(field, dict):
            continue
        problems.extend(_field_problems("fields[%d]" % index, field))
        lowered = field["name"].lower()
        if lowered in seen:
            problems.append("fields[%d].name: %s is already defined at fields[%d] (names are compared without case)"
                            % (index, field["name"], seen[lowered]))
        seen.setdefault(lowered, index)
    return problems


def _field_problems(at, field):
    problems = []
    kind = field["type"]
    if field["name"].lower() in RESERVED_NAMES:
        problems.append("%s.name: %s is a reserved name" % (at, field["name"]))
    if field.get("max_length") is not None and field.get("maxLength") is not None:
        problems.append("%s: give max_length or maxLength, not both" % at)
    for key, shown in (("options", "options"), ("max_length", "max_length"), ("maxLength", "maxLength")):
        if field.get(key) is not None and kind != "string":
            problems.append("%s.%s: only string fields take %s (this one is %s)" % (at, key, shown, kind))
    if field.get("unique") and kind not in UNIQUE_TYPES:
        problems.append("%s.unique: only string and number fields can be unique (this one is %s)" % (at, kind))
    relationship = field.get("relationship")
    if kind == "relationship" and relationship is None:
        problems.append("%s.relationship: a relationship field needs relationship: {schema: <name>}" % at)
    elif kind != "relationship" and relationship is not None:
        problems.append("%s.relationship: only relationship fields take a relationship (this one is %s)"
                        % (at, kind))
    elif relationship is not None:
        targets = [key for key in ("schema", "schema_id", "schemaId") if relationship.get(key) is not None]
        if len(targets) != 1:
            problems.append("%s.relationship: name the target schema with exactly one of schema (its name) "
                            "or schema_id" % at)
        if len([key for key in ("field", "field_name", "fieldName") if relationship.get(key) is not None]) > 1:
            problems.append("%s.relationship: give field only once" % at)
    return problems


def _shown(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else "%s... (%d characters)" % (text[:limit], len(value))


def limit_message(error):
    """A JSON Schema error worded by the limit it breaks, never echoing a long input whole."""
    value, rule = error.instance, error.validator_value
    if error.validator == "pattern" and isinstance(value, str):
        return ("%s is not a valid name: a letter, then letters, digits or _, at most 64 characters in all (got %d)"
                % (_shown(value), len(value)))
    if error.validator == "maxItems":
        return "at most %d items, got %d" % (rule, len(value))
    if error.validator == "maxLength":
        return "at most %d characters, got %d" % (rule, len(value))
    if error.validator in ("maximum", "minimum"):
        return "must be %s %s, got %s" % ("at most" if error.validator == "maximum" else "at least", rule,
                                          _shown(value))
    if error.validator == "enum":
        return "%s is not one of %s" % (_shown(value), ", ".join(str(item) for item in rule))
    message = error.message
    return message if len(message) <= 200 else message[:200] + "..."


def user_paths_of_server_errors(errors, sent_fields, intent):
    """The server's ``errors`` with ``fields[N]`` (an index into the body sent) turned into the task's path.

    The body lists stored fields first and new ones after them, so the server's index is not the
    index the user wrote; fields the task does not mention are named as stored fields.
    """
    mapped = []
    for item in errors:
        found = re.match(r"^fields\[(\d+)\](.*)$", str(item.get("field") or "")) if isinstance(item, dict) else None
        if found and int(found.group(1)) < len(sent_fields):
            name = sent_fields[int(found.group(1))]["name"]
            user_path = intent["paths"].get(name.lower())
            item = dict(item, field="%s%s (field %s)" % (user_path, found.group(2), name) if user_path
                        else "stored field %s%s" % (name, found.group(2)))
        mapped.append(item)
    return mapped


def check_definition(definition, purge_fields=False):
    """Raise :class:`InputError` listing every problem of the definition, before any request."""
    problems = definition_problems(definition, purge_fields)
    if problems:
        raise InputError(problems, what="the definition of flex schema %r" % definition.get("name"))


# -- user shape -> API shape ---------------------------------------------------------------------

def desired_field(field):
    """The API shape of one validated user field; a relationship target named by name keeps the name
    under ``schemaName`` until :func:`resolve_relationships` turns it into an id."""
    out = {"name": field["name"], "type": field["type"],
           "required": bool(field.get("required")), "unique": bool(field.get("unique"))}
    if field.get("options") is not None:
        out["options"] = list(field["options"])
    max_length = _pick(field, "max_length", "maxLength")
    if max_length is not None:
        out["maxLength"] = max_length
    relationship = field.get("relationship")
    if relationship is not None:
        out["relationship"] = {"schemaId": _pick(relationship, "schema_id", "schemaId"),
                               "fieldName": _pick(relationship, "field", "field_name", "fieldName") or "id"}
        if relationship.get("schema") is not None:
            out["relationship"]["schemaName"] = relationship["schema"]
    return out


class Catalog:
    """The org's schemas by name (without case) and by id, to resolve relationship targets."""

    def __init__(self, schemas, own_name=None):
        self.by_id = dict((schema["id"], schema) for schema in schemas)
        self.by_name = dict((schema["name"].lower(), schema) for schema in schemas)
        self.own_name = own_name

    def find(self, name):
        return self.by_name.get(name.lower())

    def for_schema(self, name):
        """The same catalog (shared, so writes are seen) as planned for schema ``name``."""
        view = Catalog([], own_name=name)
        view.by_id, view.by_name = self.by_id, self.by_name
        return view

    def remember(self, schema):
        """Record a schema this run created or updated (a whole-org run plans later schemas against it)."""
        self.by_id[schema["id"]] = schema
        self.by_name[schema["name"].lower()] = schema

    def forget(self, schema):
        self.by_id.pop(schema["id"], None)
        if self.by_name.get(schema["name"].lower()) is schema:
            del self.by_name[schema["name"].lower()]

    def name_of(self, schema_id):
        if schema_id == SELF_ID:
            return self.own_name
        if schema_id and schema_id.startswith(PENDING_PREFIX):
            return schema_id[len(PENDING_PREFIX):]
        schema = self.by_id.get(schema_id)
        return schema["name"] if schema else None


def resolve_relationships(fields, catalog, own_name, own_id, pending=None):
    """Fill in ``schemaId`` of every relationship named by schema name; return the problems found.

    A relationship to the schema itself resolves to ``own_id`` (``SELF_ID`` while it does not exist).
    With a ``pending`` list (check mode), a missing target is added to it instead of being a problem.
    """
    problems = []
    for index, field in enumerate(fields):
        relationship = field.get("relationship")
        if not relationship:
            continue
        target_name = relationship.pop("schemaName", None)
        if target_name is not None:
            if target_name.lower() == own_name.lower():
                relationship["schemaId"] = own_id or SELF_ID
            elif catalog.find(target_name) is not None:
                relationship["schemaId"] = catalog.find(target_name)["id"]
            elif pending is not None:
                relationship["schemaId"] = PENDING_PREFIX + target_name
                pending.append(target_name)
            else:
                problems.append("fields[%d].relationship.schema: no schema named %s exists (create it first, or "
                                "let the genesys.cloud.flex_schemas role order the schemas)" % (index, target_name))
        elif relationship["schemaId"] not in catalog.by_id and relationship["schemaId"] != own_id:
            problems.append("fields[%d].relationship.schema_id: no schema has id %s"
                            % (index, relationship["schemaId"]))
    return problems


# -- intent, planning and safety -----------------------------------------------------------------

def build_intent(name, fields, description, stored_fields, purge_fields, paths=None):
    """What the task means to change: fields to set, field names to remove, the description.

    The fields to remove are decided once, against the schema as first read: a field that
    someone adds later is not this task's business and survives a re-apply after a 409.
    """
    fields = list(fields or [])
    wanted = set(field["name"].lower() for field in fields)
    remove = []
    if purge_fields:
        remove = [field["name"] for field in stored_fields or [] if field["name"].lower() not in wanted]
    if paths is None:
        paths = dict((field["name"].lower(), "fields[%d]" % i) for i, field in enumerate(fields))
    return {"name": name, "set": fields, "remove": remove, "description": description, "paths": paths}


def apply_intent(intent, stored_fields):
    """The field list after applying ``intent`` to ``stored_fields`` (stored order, new fields last)."""
    setting = dict((field["name"].lower(), field) for field in intent["set"])
    removing = set(name.lower() for name in intent["remove"])
    result, placed = [], set()
    for field in stored_fields:
        key = field["name"].lower()
        if key in setting:
            result.append(dict(setting[key]))
            placed.add(key)
        elif key not in removing:
            result.append(field)
    result.extend(dict(field) for field in intent["set"] if field["name"].lower() not in placed)
    return result


def canonical_field(field):
    """A field as compared: server defaults filled in, options as a set, server-made keys dropped."""
    out = {"name": field["name"], "type": field["type"],
           "required": bool(field.get("required")), "unique": bool(field.get("unique"))}
    if field.get("options") is not None:
        out["options"] = sorted(field["options"])
    if field.get("maxLength") is not None:
        out["maxLength"] = field["maxLength"]
    if field.get("relationship"):
        out["relationship"] = {"schemaId": field["relationship"].get("schemaId"),
                               "fieldName": field["relationship"].get("fieldName") or "id"}
    return out


def type_change_verdict(old_type, new_type):
    """``unchanged``, ``safe`` (the seed's matrix), ``forbidden`` (the server never converts) or ``unsafe``."""
    if old_type == new_type:
        return "unchanged"
    if (old_type, new_type) in SAFE_TYPE_CHANGES:
        return "safe"
    if "relationship" in (old_type, new_type):
        return "forbidden"
    return "unsafe"


def summarise_changes(before_fields, after_fields, before_description=None, after_description=None):
    """``{added, removed, modified, type_changes, description_changed}`` between two field lists."""
    before = dict((field["name"].lower(), field) for field in before_fields)
    after = dict((field["name"].lower(), field) for field in after_fields)
    changes = {"added": [], "removed": [], "modified": [], "type_changes": [],
               "description_changed": (before_description or "") != (after_description or "")}
    for key, field in after.items():
        if key not in before:
            changes["added"].append(field["name"])
        elif canonical_field(field) != canonical_field(before[key]):
            changes["modified"].append(field["name"])
            verdict = type_change_verdict(before[key]["type"], field["type"])
            if verdict != "unchanged":
                changes["type_changes"].append({"field": field["name"], "from": before[key]["type"],
                                                "to": field["type"], "safe": verdict == "safe",
                                                "verdict": verdict})
    changes["removed"] = [field["name"] for key, field in before.items() if key not in after]
    return changes


def change_problems(changes, intent, allow_unsafe):
    """The type changes that are refused, each naming the field path of the task's input."""
    problems = []
    for change in changes["type_changes"]:
        at = intent["paths"].get(change["field"].lower(), change["field"])
        if change["verdict"] == "forbidden":
            problems.append("%s.type: %s cannot change from %s to %s (the server never converts to or from "
                            "relationship; remove the field and add a new one)"
                            % (at, change["field"], change["from"], change["to"]))
        elif change["verdict"] == "unsafe" and not allow_unsafe:
            problems.append("%s.type: changing %s from %s to %s is outside the safe type changes (%s); set "
                            "allow_unsafe_type_changes: true to let the server check the stored records"
                            % (at, change["field"], change["from"], change["to"], SAFE_CHANGES_TEXT))
    return problems


def relationship_problems(fields, intent, own_id, catalog):
    """Relationships this task sets must point at ``id`` or a unique field of their target."""
    problems = []
    setting = set(field["name"].lower() for field in intent["set"])
    for field in fields:
        relationship = field.get("relationship")
        if not relationship or not relationship.get("schemaId") or field["name"].lower() not in setting:
            continue
        if relationship["schemaId"].startswith(PENDING_PREFIX):
            continue
        if relationship["fieldName"] == "id":
            continue
        if relationship["schemaId"] in (own_id, SELF_ID):
            target_fields = fields
        else:
            target = catalog.by_id.get(relationship["schemaId"])
            target_fields = target["fields"] if target else []
        target_field = next((f for f in target_fields if f["name"] == relationship["fieldName"]), None)
        if target_field is None or not target_field.get("unique"):
            problems.append("%s.relationship.field: %s is not id or a unique field of schema %s"
                            % (intent["paths"].get(field["name"].lower(), field["name"]), relationship["fieldName"],
                               catalog.name_of(relationship["schemaId"]) or relationship["schemaId"]))
    return problems


def plan_update(intent, stored, catalog, allow_unsafe=False):
    """Apply the intent to a stored (possibly freshly re-read) schema and re-run the safety checks.

    Returns ``(body, changes)``; ``body`` is None when the schema already is as wanted. Raises
    :class:`SchemaChangeRefused` when the checks refuse the change.
    """
    fields = apply_intent(intent, stored["fields"])
    description = intent["description"] if intent["description"] is not None else stored.get("description", "")
    changes = summarise_changes(stored["fields"], fields, stored.get("description"), description)
    problems = change_problems(changes, intent, allow_unsafe)
    problems += relationship_problems(fields, intent, stored.get("id"), catalog)
    if len(fields) > MAX_FIELDS:
        problems.append("fields: the schema would have %d fields, more than the limit of %d"
                        % (len(fields), MAX_FIELDS))
    if problems:
        raise SchemaChangeRefused(problems, changes, what="the change to flex schema %s" % stored["name"])
    renamed = stored["name"] != intent.get("name", stored["name"])
    if not renamed and not (changes["added"] or changes["removed"] or changes["modified"]
                            or changes["description_changed"]):
        return None, changes
    return {"name": intent.get("name", stored["name"]), "description": description, "fields": fields}, changes


def blank_schema(name):
    """What a schema that does not exist yet is planned against."""
    return {"id": SELF_ID, "name": name, "description": "", "fields": [], "version": None}


def no_changes():
    return {"added": [], "removed": [], "modified": [], "type_changes": [], "description_changed": False}


# -- API shape -> user shape and readable shape --------------------------------------------------

def _user_relationship(relationship, catalog):
    name = catalog.name_of(relationship.get("schemaId"))
    out = {"schema": name} if name else {"schema_id": relationship.get("schemaId")}
    out["field"] = relationship.get("fieldName") or "id"
    return out


def user_field(field, catalog):
    out = {"name": field["name"], "type": field["type"],
           "required": bool(field.get("required")), "unique": bool(field.get("unique"))}
    if field.get("options") is not None:
        out["options"] = list(field["options"])
    if field.get("maxLength") is not None:
        out["max_length"] = field["maxLength"]
    if field.get("relationship"):
        out["relationship"] = _user_relationship(field["relationship"], catalog)
    return out


def user_schema(schema, catalog):
    """The schema as ``flex_schema`` takes it, so it can be fed back in unchanged."""
    return {"name": schema["name"], "description": schema.get("description") or "",
            "fields": [user_field(field, catalog) for field in schema["fields"]]}


def readable_schema(schema, catalog):
    """The ``--diff`` form: fields keyed by name, defaults left out so a change stands out."""
    if schema is None:
        return {}
    fields = {}
    for field in schema["fields"]:
        shown = user_field(field, catalog)
        shown.pop("name")
        for flag in ("required", "unique"):
            if not shown[flag]:
                shown.pop(flag)
        fields[field["name"]] = shown
    return {"name": schema["name"], "description": schema.get("description") or "", "fields": fields}
