"""Test controls of the real objects (REAL_API.md), under /_emulator like control.py's.

- `/limits`: rows a table, properties, tables, workitem schemas and their properties;
- `/datatables/in_use`: mark a data table as used by a flow (a delete without force is 409);
- `/read_after_create`: objects created from now on answer 404 on their first N reads by id;
- `/workflows`: the org's workflows (published or not) that triggers may target;
- `/topics`: the process-automation topics the org offers;
- `/stale_version`: whether a stale workitem schema or trigger version is answered 409 or 400.
"""

import json

from flask import Blueprint, jsonify, request

from .errors import ApiError
from .realstate import DEFAULT_LIMITS, STALE_KINDS, STALE_STATUSES, app_state, is_int
from .util import new_id, read_json_body

bp = Blueprint("realcontrol", __name__, url_prefix="/_emulator")


def _body():
    body = read_json_body(required=False)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, "bad.request", "The body must be a JSON object.")
    return body


@bp.route("/limits", methods=["GET", "POST"])
def limits():
    state = app_state()
    if request.method == "POST":
        body = _body()
        for key, value in body.items():
            if key not in DEFAULT_LIMITS:
                raise ApiError(400, "bad.request", "Unknown limit %s; limits are %s." % (key, ", ".join(DEFAULT_LIMITS)))
            if not is_int(value) or value < 0:
                raise ApiError(400, "bad.request", "%s must be a whole number >= 0." % key)
        with state.lock:
            state.limits.update(body)
    with state.lock:
        return jsonify(state.limits)


def _table(state, ref):
    """A data table by id or (case-insensitive) name."""
    if not isinstance(ref, str):
        raise ApiError(400, "bad.request", "table names a data table (its id or name).")
    table = state.datatables.get(ref) or next(
        (t for t in state.datatables.values() if t["name"].lower() == ref.lower()), None)
    if table is None:
        raise ApiError(404, "not.found", "No data table has the id or name %s." % ref[:256])
    return table


@bp.route("/datatables/in_use", methods=["GET", "POST"])
def tables_in_use():
    state = app_state()
    if request.method == "POST":
        body = _body()
        in_use = body.get("in_use", True)
        if set(body) - {"table", "in_use"} or not isinstance(in_use, bool):
            raise ApiError(400, "bad.request", 'The body is {"table": id or name, "in_use": true|false}.')
        with state.lock:
            table = _table(state, body.get("table"))
            (state.tables_in_use.add if in_use else state.tables_in_use.discard)(table["id"])
    with state.lock:
        return jsonify(sorted(state.tables_in_use))


@bp.post("/datatables/rows")
def seed_rows():
    """``{"table": id or name, "rows": [row, ...]}`` or ``{"table", "src": a .jsonl file on this host}``:
    write rows (created or replaced, left-out values filled) without the API's cost (no latency, rate
    limit or request log). Rows are validated like POST .../rows; an invalid row stops the seed with a
    400 naming its position, the rows before it stay."""
    body = _body()
    rows, src = body.get("rows"), body.get("src")
    if set(body) - {"table", "rows", "src"} or (rows is None) == (src is None) \
            or not (rows is None or isinstance(rows, list)) or not (src is None or isinstance(src, str)):
        raise ApiError(400, "bad.request", 'The body is {"table": id or name, "rows": [...]} or {"table", "src": path}.')
    if src is not None:
        try:
            with open(src, encoding="utf-8") as handle:
                rows = [json.loads(line) for line in handle if line.strip()]
        except (OSError, ValueError) as exc:
            raise ApiError(400, "bad.request", "src is not a readable .jsonl file: %s" % exc)
    from .datatable_rows import build_row
    state = app_state()
    with state.lock:
        table = _table(state, body.get("table"))
        stored = state.datatable_rows.setdefault(table["id"], {})
        for index, raw in enumerate(rows):
            row, problems = build_row(state, table, raw)
            if not problems and row["key"] not in stored and len(stored) >= state.limits["max_rows"]:
                problems = ["the table already has %d rows" % state.limits["max_rows"]]
            if problems:
                state.save()
                raise ApiError(400, "flows.datatables.syntax.error", "rows[%d]: %s; %d rows were seeded."
                               % (index, "; ".join(problems), index))
            stored[row["key"]] = row
        state.save()
    return jsonify({"seeded": len(rows)})


@bp.route("/read_after_create", methods=["GET", "POST"])
def read_after_create():
    state = app_state()
    if request.method == "POST":
        reads = _body().get("reads")
        if not is_int(reads) or reads < 0:
            raise ApiError(400, "bad.request", 'The body is {"reads": N} (a whole number >= 0).')
        with state.lock:
            state.read_after_create = reads
    with state.lock:
        return jsonify({"reads": state.read_after_create, "pending": dict(state.unread)})


@bp.route("/workflows", methods=["GET", "POST", "DELETE"])
def workflows():
    """``POST {"name", "id"?, "published": true}`` adds (or replaces, by id or name) a workflow."""
    state = app_state()
    if request.method == "DELETE":
        with state.lock:
            state.workflows.clear()
        return jsonify([])
    if request.method == "POST":
        body = _body()
        name, published = body.get("name"), body.get("published", True)
        workflow_id = body.get("id")
        if set(body) - {"name", "id", "published"} or not isinstance(name, str) or not name \
                or not isinstance(published, bool) or not (workflow_id is None or isinstance(workflow_id, str)):
            raise ApiError(400, "bad.request", 'The body is {"name": str, "id"?: str, "published"?: bool}.')
        with state.lock:
            same = next((w for w in state.workflows.values()
                         if w["id"] == workflow_id or (workflow_id is None and w["name"].lower() == name.lower())),
                        None)
            workflow_id = workflow_id or (same["id"] if same else new_id())
            if same is not None:
                del state.workflows[same["id"]]
            version = (same or {}).get("publishedVersion") or {"id": "1.0"}
            state.workflows[workflow_id] = {"id": workflow_id, "name": name, "type": "workflow",
                                            "publishedVersion": version if published else None}
            state.save()
            return jsonify(dict(state.workflows[workflow_id]))
    with state.lock:
        return jsonify([dict(w) for w in state.workflows.values()])


@bp.route("/topics", methods=["GET", "POST"])
def topics():
    state = app_state()
    if request.method == "POST":
        names = _body().get("topics")
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise ApiError(400, "bad.request", 'The body is {"topics": [name, ...]}.')
        with state.lock:
            state.topics = list(dict.fromkeys(names))
    with state.lock:
        return jsonify(list(state.topics))


@bp.route("/stale_version", methods=["GET", "POST"])
def stale_version():
    """``POST {"kind": "workitem_schema"|"trigger", "name"?: str, "status": 409|400|null}``.

    With `name`, the answer for that object name (case-insensitive); without, for every name
    that has none of its own. `null` goes back to the default (decided by the name).
    """
    state = app_state()
    if request.method == "POST":
        body = _body()
        kind, name, status = body.get("kind"), body.get("name"), body.get("status")
        if set(body) - {"kind", "name", "status"} or kind not in STALE_KINDS \
                or not (name is None or isinstance(name, str)) or not (status is None or status in STALE_STATUSES) \
                or isinstance(status, bool):
            raise ApiError(400, "bad.request", 'The body is {"kind": "workitem_schema"|"trigger", "name"?: str, '
                                               '"status": 409|400|null}.')
        with state.lock:
            answers = state.stale_answers[kind]
            if name is None:
                answers["default"] = status
            elif status is None:
                answers["names"].pop(name.lower(), None)
            else:
                answers["names"][name.lower()] = status
    with state.lock:
        return jsonify({kind: {"default": a["default"], "names": dict(a["names"])}
                        for kind, a in state.stale_answers.items()})


# -- hook actions: another administrator changes a real object (see control.py's hooks) ----------

REAL_HOOK_ACTIONS = ("datatable_update", "datatable_row_put", "workitem_schema_update", "trigger_update")


def _named(objects, name, what, live=lambda o: True):
    if not isinstance(name, str):
        raise ApiError(400, "bad.request", "action.name names a %s." % what)
    found = next((o for o in objects if live(o) and o["name"].lower() == name.lower()), None)
    if found is None:
        raise ApiError(404, "not.found", "No %s is named %s." % (what, name[:256]))
    return found


def run_real_action(state, action):
    """Apply a hook action on a data table, workitem schema or trigger (the caller holds state.lock).

    - `datatable_update` {"name", "description"}: the table's description (no version: it just wins);
    - `datatable_row_put` {"name", "row"}: create or replace one row (left-out values filled);
    - `workitem_schema_update` {"name", "enabled"?, "description"?}: a new version of the schema;
    - `trigger_update` {"name", "enabled"?, "description"?}: a new version of the trigger.
    """
    from .datatable_rows import build_row  # the rows module imports the tables module, which needs no control
    from .util import now_ts
    kind, name = action["type"], action.get("name")
    if kind == "datatable_update":
        table = _named(state.datatables.values(), name, "data table")
        table["description"] = str(action.get("description", table["description"]))
    elif kind == "datatable_row_put":
        table = _named(state.datatables.values(), name, "data table")
        row, problems = build_row(state, table, action.get("row"))
        if problems:
            raise ApiError(400, "flows.datatables.syntax.error", "; ".join(problems) + ".")
        rows = state.datatable_rows.setdefault(table["id"], {})
        if row["key"] not in rows and len(rows) >= state.limits["max_rows"]:
            raise ApiError(400, "flows.datatables.too.many.rows", "Data table %s is full." % table["name"])
        rows[row["key"]] = row
    elif kind == "workitem_schema_update":
        schema = _named(state.workitem_schemas.values(), name, "workitem schema", live=lambda s: not s["deleted"])
        current = schema["versions"][-1]
        changed = dict(current, version=current["version"] + 1, dateModified=now_ts(),
                       jsonSchema=dict(current["jsonSchema"]), modifiedBy={"id": "another-administrator"})
        if "enabled" in action:
            changed["enabled"] = bool(action["enabled"])
        if "description" in action:
            changed["jsonSchema"]["description"] = str(action["description"])
        schema["versions"].append(changed)
    else:
        trigger = _named(state.triggers.values(), name, "trigger")
        trigger.update(version=trigger["version"] + 1, dateModified=now_ts())
        if "enabled" in action:
            trigger["enabled"] = bool(action["enabled"])
        if "description" in action:
            trigger["description"] = str(action["description"])
    state.save()
