# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One whole-org run over one client: read, plan, preview, apply in dependency order, summarise.

The steps, all in the ``genesys.cloud.org`` action (one process, one token, one pacer):

1. load and check the org definition completely (plugin_utils/org_directory.py), no request;
2. read the org in parallel: every schema (one list), every webhook (one list), and the records
   of each stored schema the definition touches (its own records, or the targets of its
   relationships), one page per 500 records;
3. plan: every object is previewed in check mode by the same functions the modules use
   (``apply_schema``, the records module's ``run``, ``apply_webhook``) over an :class:`OrgView`,
   which answers their reads from step 2, so planning costs no request. Record files are checked
   against the schema they target as it will be after the run;
4. refuse the whole run if any object is refused (nothing is written then);
5. apply (not in check mode): schemas level by level (relationship targets first, independent
   schemas of a level in parallel), records schema by schema in the same levels, webhooks in
   parallel; then removals in the reverse order. The first failure stops the run and the result
   says what was already written;
6. summarise: counts per kind, flags (unsafe or refused changes), notes, and the plan artifact.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    PENDING_PREFIX, SCHEMAS_PATH, Catalog, desired_field, resolve_relationships)
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema_apply import apply_schema
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments
from ansible_collections.genesys.cloud.plugins.module_utils.webhook_apply import apply_webhook
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_report
from ansible_collections.genesys.cloud.plugins.plugin_utils import session
from ansible_collections.genesys.cloud.plugins.plugin_utils.inprocess import (
    load_module, run_validated)

RECORDS_PATH = "/api/v2/customobjects/%s/records"
_SCHEMA_BY_ID = re.compile(r"^%s/([^/?]+)$" % re.escape(SCHEMAS_PATH))
_RECORDS = re.compile(r"^/api/v2/customobjects/([^/?]+)/records$")
READ_WORKERS = 8
WRITE_WORKERS = 4


class Answer:
    """What ``client.get`` returns, for an answer the view already has."""

    def __init__(self, data):
        self.data = data


class OrgView:
    """The client as one object of an org run sees it.

    Reads the run already made (the schema list, the schemas by id, the records of a schema) are
    answered from memory; anything else goes to the client. With ``read_only`` every write is
    refused before it is sent (planning runs in check mode; this is the safety net).
    """

    def __init__(self, client, catalog, records, read_only):
        self._client = client
        self._catalog = catalog
        self._records = records
        self.read_only = read_only

    def __getattr__(self, name):
        return getattr(self._client, name)

    def request(self, method, path, **kwargs):
        if method != "GET":
            self._refuse_writes(method, path)
        return self._client.request(method, path, **kwargs)

    def get(self, path, params=None):
        found = _SCHEMA_BY_ID.match(path)
        if found and found.group(1) in self._catalog.by_id:
            return Answer(copy.deepcopy(self._catalog.by_id[found.group(1)]))
        if found and found.group(1).startswith(PENDING_PREFIX):  # planning: a target this run creates
            return Answer({"id": found.group(1), "name": found.group(1)[len(PENDING_PREFIX):], "fields": []})
        return self._client.get(path, params)

    def paginate(self, path, params=None, page_size=25):
        if path == SCHEMAS_PATH:
            name = (params or {}).get("name")
            schemas = [s for s in self._catalog.by_id.values() if name is None or s["name"].lower() == name.lower()]
            # A name the run does not know is asked of the server while writing: it is how a create
            # whose answer was lost finds out whether it landed.
            if schemas or self.read_only:
                return iter(copy.deepcopy(schemas))
        found = _RECORDS.match(path)
        if found and found.group(1) in self._records:
            return iter(list(self._records[found.group(1)]))
        return self._client.paginate(path, params, page_size)

    def paginate_pages(self, path, params=None, page_size=25, concurrency=1):
        """Pages of a schema's records the run already read, cut as the server would cut them."""
        found = _RECORDS.match(path)
        if not (found and found.group(1) in self._records):
            return self._client.paginate_pages(path, params, page_size, concurrency)
        records = list(self._records[found.group(1)])
        count = max(1, -(-len(records) // page_size))
        return iter([dict(entities=records[index * page_size:(index + 1) * page_size], pageNumber=index + 1,
                          pageSize=page_size, pageCount=count, total=len(records)) for index in range(count)])

    def _refuse_writes(self, method, path):
        if self.read_only:
            raise GenesysCloudError("refusing to send a write while planning (this is a bug)", method=method,
                                    path=path)

    def create(self, path, body, lookup=None, replay_safe=False):
        self._refuse_writes("POST", path)
        return self._client.create(path, body, lookup=lookup, replay_safe=replay_safe)

    def update_versioned(self, path, compute, current=None, max_conflicts=3):
        """The client's own: after a 409 it reads the object again from the server, never from memory."""
        self._refuse_writes("PUT", path)
        return self._client.update_versioned(path, compute, current=current, max_conflicts=max_conflicts)


class Step:
    """One object of the run: its item, and the task result of its plan (check mode) and apply."""

    def __init__(self, item, direction):
        self.item = item
        self.direction = direction  # "apply" or "remove"
        self.planned = None
        self.applied = None

    @property
    def kind(self):
        return self.item.kind

    @property
    def name(self):
        return self.item.name

    @property
    def result(self):
        return self.applied if self.applied is not None else self.planned


class OrgRun:
    """The state of one org run over one client (see the module docstring for the steps)."""

    def __init__(self, client, org, check_mode, diff=False, allow_unsafe=False, progress=None):
        self.client = client
        self.org = org
        self.check_mode = check_mode
        self.diff = diff
        self.allow_unsafe = allow_unsafe
        self.progress = progress or (lambda line: None)
        self.catalog = None
        self.stored_schemas = []
        self.stored_webhooks = []
        self.stored_records = {}
        self.existing_schemas = set()
        self.existing_webhooks = set()
        self.lock = threading.Lock()
        schemas = list(org["schemas"])
        self.levels, self.level_of = od.schema_levels(schemas)
        self.steps = self._steps()

    # -- order -----------------------------------------------------------------------------
    def _rank(self, record_set):
        return self.level_of.get(record_set.name.lower(), len(self.levels))

    def _steps(self):
        org = self.org
        schemas = [s for level in self.levels for s in level]
        records = sorted(org["records"], key=self._rank)
        steps = [Step(item, "apply") for item in schemas if not item.absent]
        steps += [Step(item, "apply") for item in records if not item.absent]
        steps += [Step(item, "apply") for item in org["webhooks"] if not item.absent]
        steps += [Step(item, "remove") for item in org["webhooks"] if item.absent]
        steps += [Step(item, "remove") for item in reversed(records) if item.absent]
        steps += [Step(item, "remove") for item in reversed(schemas) if item.absent]
        return steps

    def batches(self):
        """The steps in groups that may run in parallel, in the order the groups must run."""
        groups = []

        def add(steps, key):
            by_key = {}
            for step in steps:
                by_key.setdefault(key(step), []).append(step)
            for level in sorted(by_key, reverse=steps[0].direction == "remove" if steps else False):
                groups.append(by_key[level])

        for kind, direction in (("schemas", "apply"), ("records", "apply"), ("webhooks", "apply"),
                                ("webhooks", "remove"), ("records", "remove"), ("schemas", "remove")):
            chosen = [s for s in self.steps if s.kind == kind and s.direction == direction]
            if kind == "webhooks":
                add(chosen, lambda step: 0)
            else:
                add(chosen, lambda step: self._rank(step.item))
        return groups

    # -- reading ---------------------------------------------------------------------------
    def read(self):
        """The schema list and webhook list in parallel, then the records the run needs, in parallel."""
        with ThreadPoolExecutor(max_workers=READ_WORKERS) as pool:
            schemas = pool.submit(lambda: list(self.client.paginate(SCHEMAS_PATH, page_size=100)))
            hooks = pool.submit(lambda: list(self.client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE)))
            self.stored_schemas, self.stored_webhooks = schemas.result(), hooks.result()
            self.catalog = Catalog(self.stored_schemas)
            self.existing_schemas = set(s["name"].lower() for s in self.stored_schemas)
            self.existing_webhooks = set(h.get("name", "").lower() for h in self.stored_webhooks)
            names = self._record_reads()
            pages = dict((name, pool.submit(self._read_records, name)) for name in names)
            self.stored_records = dict((name, future.result()) for name, future in pages.items())
        self.progress("read %d schemas, %d webhooks and the records of %d schemas"
                      % (len(self.stored_schemas), len(self.stored_webhooks), len(self.stored_records)))

    def _read_records(self, name):
        return list(self.client.paginate(RECORDS_PATH % name, page_size=500))

    def _record_reads(self):
        """Stored schemas (exact names) whose records the run compares with or validates against."""
        wanted = set()
        for item in self.org["records"]:
            schema = self.catalog.find(item.name)
            if schema is None or schema["name"] != item.name:
                continue
            wanted.add(schema["name"])
            for field in schema["fields"]:
                target = self.catalog.by_id.get((field.get("relationship") or {}).get("schemaId"))
                if target is not None:
                    wanted.add(target["name"])
        for item in self.org["schemas"]:
            if any(set_.name == item.name for set_ in self.org["records"]):
                for target in od.relationship_targets(item):
                    schema = self.catalog.find(target)
                    if schema is not None:
                        wanted.add(schema["name"])
        return sorted(wanted)

    # -- one object ------------------------------------------------------------------------
    def _records_view(self, name, catalog, read_only, predicted):
        records = dict(predicted)
        records[name] = self.stored_records.get(name, [])
        return OrgView(self.client, catalog, records, read_only)

    def run_step(self, step, catalog, check_mode, predicted):
        item = step.item
        params = dict(item.params)
        if step.direction == "remove":
            params["state"] = "absent"
        read_only = check_mode or self.client.read_only
        if item.kind == "schemas":
            if params.get("allow_unsafe_type_changes") is False and "allow_unsafe_type_changes" not in item.data:
                params["allow_unsafe_type_changes"] = self.allow_unsafe
            view = OrgView(self.client, catalog, {}, read_only)
            return run_validated(lambda m, c, t: apply_schema(m, c, t, catalog), params, item.no_log_values, view,
                                 check_mode, self.diff)
        if item.kind == "webhooks":
            view = OrgView(self.client, catalog, {}, read_only)
            return run_validated(lambda m, c, t: apply_webhook(m, c, t, self.stored_webhooks), params,
                                 item.no_log_values, view, check_mode, self.diff)
        view = self._records_view(item.name, catalog, read_only, predicted)
        return run_validated(load_module("custom_object_records").run, params, item.no_log_values, view,
                             check_mode, self.diff)

    # -- plan ------------------------------------------------------------------------------
    def predicted_records(self):
        """What each schema's records will be after the run, as far as relationship checks need: stored
        records plus the records the definition gives."""
        predicted = dict((name, list(records)) for name, records in self.stored_records.items())
        for item in self.org["records"]:
            if item.desired_records and not item.absent:
                predicted.setdefault(item.name, [])
                predicted[item.name] = predicted[item.name] + item.desired_records
        return predicted

    def plan(self):
        """Preview every object in check mode over the reads made (no request).

        Returns the problems of the definition itself (record files against their schema, unknown
        relationship targets); changes refused by the objects' own checks stay in their planned results.
        """
        catalog = Catalog(copy.deepcopy(self.stored_schemas))
        problems = self.reference_problems()
        for step in self.steps:
            if step.kind != "schemas":
                continue
            step.planned = self.run_step(step, catalog, True, {})
            if step.planned.get("action") == "update":
                remember_prediction(catalog, step.planned["schema"])
        problems += self.record_problems()
        predicted = self.predicted_records()
        for step in self.steps:
            if step.kind == "schemas":
                continue
            step.planned = self.run_step(step, catalog, True, predicted)
        return problems

    def reference_problems(self):
        """Relationships to a schema that neither the definition nor the org has."""
        known = set(item.name.lower() for item in self.org["schemas"] if not item.absent) | self.existing_schemas
        problems = []
        for item in self.org["schemas"]:
            if item.absent:
                continue
            for index, field in enumerate(item.params["fields"] or []):
                target = (field.get("relationship") or {}).get("schema")
                if target and target.lower() not in known and target.lower() != item.name.lower():
                    problems.append("%s: fields[%d].relationship.schema: no schema named %s in the org or the "
                                    "directory" % (item.where, index, target))
        for item in self.org["records"]:
            if not item.absent and item.name.lower() not in known:
                problems.append("%s: schema %s is neither in the org nor in the directory" % (item.where, item.name))
        return problems

    def future_fields(self, name):
        """The fields schema ``name`` will have after the run (planned result, or as stored)."""
        for step in self.steps:
            if step.kind == "schemas" and step.name == name and step.direction == "apply":
                if step.planned and not step.planned.get("failed"):
                    return od.schema_fields(step.planned["schema"]["fields"])
                return None
        stored = self.catalog.find(name)
        if stored is not None and stored["name"] == name:
            return dict((field["name"], field) for field in stored["fields"])
        return None

    def record_problems(self):
        """Every record file read to the end and checked against the schema it targets."""
        problems = []
        for item in self.org["records"]:
            fields = self.future_fields(item.name)
            if fields is None:
                continue  # refused schema or unknown schema: reported already
            problems += od.check_records(item, fields)
        return problems

    # -- apply -----------------------------------------------------------------------------
    def apply(self):
        """Apply the planned changes group by group; return the failed step (None when all went well)."""
        predicted = dict(self.stored_records)
        with ThreadPoolExecutor(max_workers=WRITE_WORKERS) as pool:
            for group in self.batches():
                todo = [step for step in group if _changes(step.planned)]
                for step in group:
                    if step not in todo:
                        step.applied = step.planned
                futures = [(step, pool.submit(self.run_step, step, self.catalog, False, predicted)) for step in todo]
                for step, future in futures:
                    step.applied = future.result()
                    self.progress("%s %s: %s" % (step.kind[:-1] if step.kind != "records" else "records of",
                                                 step.name, describe(step)))
                failed = [step for step, _f in futures if step.applied.get("failed")]
                if failed:
                    return failed[0]
                for step, _future in futures:
                    if step.kind == "records" and step.applied.get("changed") and self._is_target(step.name):
                        predicted[step.name] = self._records_after(step)
        return None

    def _records_after(self, step):
        """A target schema's records after its set was written, for the relationship checks of the
        schemas that point at it: what was stored plus what was written; read again only when
        written records got ids the run does not know (no id given, matched by another key)."""
        desired = step.item.desired_records
        if desired is None or any("id" not in record for record in desired):
            return self._read_records(step.name)
        return self.stored_records.get(step.name, []) + desired

    def targets(self, item):
        return od.relationship_targets(item)

    def _is_target(self, name):
        for item in self.org["schemas"]:
            if name.lower() in [t.lower() for t in od.relationship_targets(item)]:
                return True
        for schema in self.catalog.by_id.values():
            for field in schema["fields"]:
                target = self.catalog.by_id.get((field.get("relationship") or {}).get("schemaId"))
                if target is not None and target["name"] == name and schema["name"] != name:
                    return True
        return False

    def written(self):
        """Objects changed so far (apply), for messages."""
        return ["%s %s (%s)" % (s.kind[:-1] if s.kind != "records" else "records of", s.name, describe(s))
                for s in self.steps if s.applied is not None and s.applied is not s.planned and
                s.applied.get("changed")]


def remember_prediction(catalog, user_schema):
    """Put the planned state of an updated schema into the planning catalog, so its records are
    planned against the fields it will have."""
    stored = catalog.find(user_schema["name"])
    fields = [desired_field(field) for field in user_schema["fields"]]
    resolve_relationships(fields, catalog, stored["name"], stored["id"], pending=[])
    catalog.remember(dict(stored, description=user_schema["description"], fields=fields))


def _changes(result):
    return bool(result and (result.get("changed") or result.get("failed")))


def describe(step):
    result = step.result or {}
    if result.get("failed"):
        return "failed"
    if step.kind == "records":
        return "created %d, updated %d, deleted %d" % (result.get("created") or 0, result.get("updated") or 0,
                                                       result.get("deleted") or 0)
    if step.kind == "schemas":
        return result.get("action") or "none"
    return "changed" if result.get("changed") else "unchanged"


# -- the whole run, as the genesys.cloud.org action calls it ------------------------------------
ORG_ARGUMENTS = module_arguments(dict(
    org_dir=dict(type="path"),
    schemas=dict(type="list", elements="dict", default=[]),
    records=dict(type="list", elements="dict", default=[]),
    webhooks=dict(type="list", elements="dict", default=[]),
    allow_unsafe_type_changes=dict(type="bool", default=False),
    preview=dict(type="bool", default=False),
    fail_on_changes=dict(type="bool", default=False),
    plan_json=dict(type="path"),
    plan_markdown=dict(type="path"),
))


def _failed(msg, **extra):
    result = dict(failed=True, changed=False, msg=msg)
    result.update(extra)
    return result


def _step_entry(step):
    result = dict((k, v) for k, v in (step.result or {}).items() if k not in ("diff", "metrics", "audit"))
    return dict(kind=step.kind, name=step.name, direction=step.direction, source=step.item.where,
                action=org_report.step_action(step), result=result)


def _write_text(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.makedirs(directory)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def org_result(run, before, failure=None):
    """The task result: summary, plan, per-object results and diffs, metrics and audit of the whole run."""
    summary = org_report.summarize(run)
    document = org_report.plan_document(run, summary)
    result = dict(changed=bool(run.written()) if not run.check_mode else summary["changed"],
                  check_mode=run.check_mode, summary=summary, plan=document,
                  objects=[_step_entry(step) for step in run.steps])
    if run.check_mode:
        result["changed"] = summary["changed"]
    diffs = [step.result["diff"] for step in run.steps if step.result and step.result.get("diff")]
    if run.diff and diffs:
        result["diff"] = diffs
    result["warnings"] = [w for step in run.steps for w in (step.result or {}).get("warnings") or []]
    if not result["warnings"]:
        del result["warnings"]
    result["audit"] = [entry for step in run.steps if step.applied is not None and step.applied is not step.planned
                       for entry in step.applied.get("audit") or []]
    result["metrics"] = run.client.metrics.since(before)
    result["metrics"]["org"] = run.client.org_host
    if failure:
        result.update(failed=True, msg=failure)
    return result


def run_org(client, params, check_mode, diff=False, progress=None):
    """Run an org definition (``ORG_ARGUMENTS`` parameters) over ``client``; return the task result."""
    check_mode = check_mode or params["preview"]
    before = client.metrics.as_dict()
    try:
        org = od.load_org(params["org_dir"], params["schemas"], params["records"], params["webhooks"])
    except od.OrgDirectoryError as exc:
        return _failed(str(exc), problems=exc.problems)
    no_log_values = set()
    for kind in od.KINDS:
        for item in org[kind]:
            no_log_values |= item.no_log_values
    run = OrgRun(client, org, check_mode, diff, params["allow_unsafe_type_changes"], progress)
    try:
        run.read()
    except GenesysCloudError as exc:
        return remove_values(_failed("reading the org failed, nothing was changed: %s" % exc), no_log_values)
    problems = run.plan()
    if problems:
        return remove_values(_failed(str(od.OrgDirectoryError(problems)), problems=problems), no_log_values)
    refused = [step for step in run.steps if step.planned.get("failed")]
    failure = None
    if refused and not check_mode:
        failure = ("the org definition cannot be applied, nothing was changed. Fix: %s"
                   % "; ".join(org_report._refusal(step.kind, step.name, step.planned) for step in refused))
    elif not check_mode:
        failed = run.apply()
        if failed is not None:
            written = run.written()
            failure = "the org run stopped at %s %s: %s. %s" % (
                failed.kind[:-1] if failed.kind != "records" else "records of", failed.name,
                str(failed.applied.get("msg")).replace(", nothing was changed", ""),
                "Already written before it: %s." % "; ".join(written) if written else
                "Nothing was written before it.")
    result = org_result(run, before, failure)
    if not failure and params["fail_on_changes"] and (result["summary"]["changed"] or result["summary"]["flags"]):
        result.update(failed=True, msg="the org differs from its definition: %s"
                      % "; ".join(result["summary"]["lines"]))
    for option, render in (("plan_json", org_report.plan_json), ("plan_markdown", org_report.plan_markdown)):
        if params[option]:
            _write_text(params[option], render(result["plan"]))
    return remove_values(result, no_log_values) if no_log_values else result


def client_for(params, check_mode):
    """The one client of an org run: read-only in check mode, a connection pool for the parallel reads,
    and the token the run's other genesys.cloud tasks share (plugin_utils/session.py)."""
    return session.client_for(params, check_mode=check_mode or params.get("preview", False),
                              pool_size=READ_WORKERS + WRITE_WORKERS * 4)
