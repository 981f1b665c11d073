"""Data-table rows and the CSV import job (REAL_API.md §8, "Rows" and "Bulk").

Rows are flat objects keyed by `key`; the server fills every property a row leaves out (its
default, else "", 0, false). Reads give keys only unless `showbrief=false`. There is no batch
write except the asynchronous, non-atomic CSV import: a job hands out an upload URL with a
random header to send; the upload (served under /uploads/, not the API: no bearer token)
applies the rows one by one, and the job reports only counts.
"""

import csv
import io
import secrets

from flask import Blueprint, current_app, jsonify, request

from .auth import require_scope
from .datatables import fill_value, get_table, value_problems
from .errors import ApiError
from .paging import page
from .realstate import app_state, bad_request, flag, no_content
from .util import canonical_number, new_id, now_ts, read_json_body

bp = Blueprint("datatable_rows", __name__, url_prefix="/api/v2/flows/datatables/<table_id>")
upload_bp = Blueprint("datatable_uploads", __name__, url_prefix="/uploads/datatables")

SYNTAX_ERROR = "flows.datatables.syntax.error"
IMPORT_MODES = ("Append", "ReplaceAll")
UPLOAD_PREFIX = "x-upload-"
BOOLEANS = {"true": True, "false": False}


def row_not_found(table, key):
    return ApiError(404, "flows.datatables.row.not.found", "Data table %s has no row with key %s."
                    % (table["name"], key[:256]))


def build_row(state, table, values):
    """The stored form of a row: validated, with every property it leaves out filled; or a list of problems."""
    props = table["schema"]["properties"]
    if not isinstance(values, dict):
        return None, ["a row must be a JSON object"]
    problems = ["unknown property %s" % name[:64] for name in values if name not in props]
    row = {}
    for name, prop in props.items():
        if name not in values:
            if name == "key":
                problems.append("property key is required")
            row[name] = fill_value(prop)
            continue
        value = values[name]
        problems.extend("property %s %s" % (name, p) for p in value_problems(prop, value))
        row[name] = canonical_number(value) if prop["type"] in ("integer", "number") else value
    return row, problems


def _check_room(state, table, rows, adding=1):
    if len(rows) + adding > state.limits["max_rows"]:
        raise ApiError(400, "flows.datatables.too.many.rows", "Data table %s has %d rows, the most a table may have."
                       % (table["name"], len(rows)))


def row_view(row, brief):
    return {"key": row["key"]} if brief else dict(row)


def _table_and_rows(state, table_id):
    table = get_table(state, table_id)
    return table, state.datatable_rows.setdefault(table_id, {})


# -- rows ------------------------------------------------------------------------------------------

@bp.get("/rows")
def list_rows(table_id):
    require_scope("architect:readonly")
    brief = flag("showbrief", True)
    order = request.args.get("sortOrder", "ascending")
    if order not in ("ascending", "descending"):
        raise ApiError(400, "bad.request", "sortOrder must be ascending or descending, not %r." % order[:40])
    state = app_state()
    with state.lock:
        _, rows = _table_and_rows(state, table_id)
        keys = sorted(rows, reverse=order == "descending")
        query = {key: request.args[key] for key in ("showbrief", "sortOrder") if key in request.args}
        return jsonify(page(keys, 100, query or None, render=lambda key: row_view(rows[key], brief)))


@bp.post("/rows")
def create_row(table_id):
    require_scope("architect")
    body = read_json_body()
    state = app_state()
    with state.lock:
        table, rows = _table_and_rows(state, table_id)
        row, problems = build_row(state, table, body)
        bad_request(problems, code=SYNTAX_ERROR)
        if row["key"] in rows:
            raise ApiError(409, "flows.datatables.row.exists", "Data table %s already has a row with key %s."
                           % (table["name"], row["key"]))
        _check_room(state, table, rows)
        rows[row["key"]] = row
        state.save()
        return jsonify(dict(row))


@bp.get("/rows/<path:key>")
def read_row(table_id, key):
    require_scope("architect:readonly")
    brief = flag("showbrief", True)
    state = app_state()
    with state.lock:
        table, rows = _table_and_rows(state, table_id)
        if key not in rows:
            raise row_not_found(table, key)
        return jsonify(row_view(rows[key], brief))


@bp.put("/rows/<path:key>")
def replace_row(table_id, key):
    require_scope("architect")
    body = read_json_body()
    state = app_state()
    with state.lock:
        table, rows = _table_and_rows(state, table_id)
        if key not in rows:
            raise row_not_found(table, key)
        if not isinstance(body, dict) or body.get("key") != key:
            raise ApiError(400, "bad.request", "The body's key must equal the key in the path (%s)." % key[:256])
        row, problems = build_row(state, table, body)
        bad_request(problems, code=SYNTAX_ERROR)
        rows[key] = row
        state.save()
        return jsonify(dict(row))


@bp.delete("/rows/<path:key>")
def delete_row(table_id, key):
    require_scope("architect")
    state = app_state()
    with state.lock:
        table, rows = _table_and_rows(state, table_id)
        if key not in rows:
            raise row_not_found(table, key)
        del rows[key]
        state.save()
    return no_content()


# -- CSV import jobs -------------------------------------------------------------------------------

def job_view(job):
    body = {"id": job["id"], "status": job["status"], "importMode": job["importMode"],
            "countRecordsUpdated": job["countRecordsUpdated"], "countRecordsDeleted": job["countRecordsDeleted"],
            "countRecordsFailed": job["countRecordsFailed"], "dateCreated": job["dateCreated"]}
    if job["status"] == "WaitingForUpload":
        body["uploadURI"] = job["uploadURI"]
        body["uploadHeaders"] = dict(job["uploadHeaders"])
    if job.get("dateCompleted") and job["status"] in ("Succeeded", "Failed"):
        body["dateCompleted"] = job["dateCompleted"]
    if job.get("errorInformation") and job["status"] == "Failed":
        body["errorInformation"] = dict(job["errorInformation"])
    body["selfUri"] = "/api/v2/flows/datatables/%s/import/jobs/%s" % (job["tableId"], job["id"])
    return body


@bp.post("/import/csv/jobs")
def create_import_job(table_id):
    require_scope("architect")
    body = read_json_body()
    if not isinstance(body, dict) or set(body) - {"importMode"} or body.get("importMode") not in IMPORT_MODES:
        raise ApiError(400, "bad.request", "The body is {\"importMode\": \"Append\" | \"ReplaceAll\"}.")
    state = app_state()
    with state.lock:
        get_table(state, table_id)
        token = secrets.token_urlsafe(18)
        job = {"id": new_id(), "tableId": table_id, "status": "WaitingForUpload", "importMode": body["importMode"],
               "countRecordsUpdated": 0, "countRecordsDeleted": 0, "countRecordsFailed": 0,
               "dateCreated": now_ts(), "token": token,
               "uploadURI": "%suploads/datatables/%s" % (request.host_url, token),
               "uploadHeaders": {UPLOAD_PREFIX + secrets.token_hex(4): secrets.token_hex(16)}}
        state.import_jobs[job["id"]] = job
        return jsonify(job_view(job))


@bp.get("/import/jobs/<job_id>")
def read_import_job(table_id, job_id):
    require_scope("architect:readonly")
    state = app_state()
    with state.lock:
        get_table(state, table_id)
        job = state.import_jobs.get(job_id)
        if job is None or job["tableId"] != table_id:
            raise ApiError(404, "not.found", "Data table %s has no import job %s." % (table_id, job_id))
        view = job_view(job)
        if job["status"] == "Processing":  # the first read after the upload sees it still working
            job["status"] = job.pop("outcome")
        return jsonify(view)


def _error_info(code, message, errors=()):
    return {"message": message, "code": code, "status": 400, "contextId": "", "details": [], "errors": list(errors)}


def _cell(prop, text):
    """A CSV cell as a value of the property (an empty cell is left out: the default applies)."""
    if prop["type"] == "string":
        return text
    if prop["type"] == "boolean":
        return BOOLEANS.get(text.strip().lower(), text)
    try:
        return int(text) if prop["type"] == "integer" else canonical_number(float(text))
    except ValueError:
        return text  # not a number: value_problems reports it


def run_import(state, table, job, text):
    """Apply an uploaded CSV: a bad header fails the job with nothing written; rows fail one by one."""
    rows = state.datatable_rows.setdefault(table["id"], {})
    props = table["schema"]["properties"]
    lines = list(csv.reader(io.StringIO(text)))
    header = lines[0] if lines else []
    problem = None
    if not header or header[0] != "key":
        problem = "the header row must name the properties, key first"
    elif len(set(header)) != len(header):
        problem = "the header row names a property twice"
    elif any(name not in props for name in header):
        problem = "the header row names unknown properties: %s" % ", ".join(n for n in header if n not in props)
    if problem:
        job.update(outcome="Failed", errorInformation=_error_info("flows.datatables.import.invalid.header", problem))
        return
    if job["importMode"] == "ReplaceAll":
        job["countRecordsDeleted"] = len(rows)
        rows.clear()
    failures = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: _cell(props[name], cell) for name, cell in zip(header, cells) if cell != ""}
        row, problems = build_row(state, table, values)
        if len(cells) != len(header):
            problems.append("line %d has %d cells, the header %d" % (number, len(cells), len(header)))
        elif not problems and row["key"] not in rows and len(rows) >= state.limits["max_rows"]:
            problems.append("the table already has %d rows" % state.limits["max_rows"])
        if problems:
            failures.append({"code": SYNTAX_ERROR, "message": "line %d: %s" % (number, "; ".join(problems))})
            continue
        rows[row["key"]] = row
        job["countRecordsUpdated"] += 1
    job["countRecordsFailed"] = len(failures)
    if failures:
        job.update(outcome="Failed", errorInformation=_error_info(
            "flows.datatables.import.rows.failed", "%d rows failed." % len(failures), failures[:100]))
    else:
        job["outcome"] = "Succeeded"


@upload_bp.put("/<token>")
def upload(token):
    """The upload URL of an import job: exactly its upload headers, no Authorization."""
    state = app_state()
    data = request.get_data(cache=True)
    with state.lock:
        job = next((j for j in state.import_jobs.values() if j["token"] == token), None)
        if job is None:
            raise ApiError(404, "not.found", "No upload is expected here.")
        if "Authorization" in request.headers:
            raise ApiError(400, "bad.request", "Send the upload with its uploadHeaders only, without Authorization.")
        if any(request.headers.get(name) != value for name, value in job["uploadHeaders"].items()):
            raise ApiError(403, "forbidden", "The upload must carry exactly the job's uploadHeaders.")
        if job["status"] != "WaitingForUpload":
            raise ApiError(409, "conflict", "This job's CSV was already uploaded.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        table = state.datatables.get(job["tableId"])
        if text is None:
            job.update(outcome="Failed", errorInformation=_error_info("flows.datatables.import.invalid.header",
                                                                      "the CSV is not UTF-8"))
        elif table is not None:
            run_import(state, table, job, text)
        job.update(status="Processing", dateCompleted=now_ts())
        state.save()
    return current_app.response_class(status=200)
