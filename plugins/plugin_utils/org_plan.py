# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org plan: read the org once (in parallel), plan every object from those reads into one value.

:func:`read_org` makes every read of a run: the org itself (``GET /api/v2/organizations/me``), the
schema list, the webhook list, the records of the stored schemas the definition touches (pages of
500) and the record count of each schema a plan deletes. :func:`plan_org` then plans, without a
request, each object with its resource's ``plan`` (module_utils/flex_schema_apply.py,
webhook_apply.py; records through plugin_utils/org_records.py): schemas in dependency order against a
planning catalog that holds what earlier plans create or change, record sets against the fields their
schema will have and the relationship values their targets will hold after the run, webhooks against
the list. The result, an :class:`OrgPlan`, is what the preview shows, what ``plan_json`` writes and
what the apply (org_apply.py) applies; nothing is planned twice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesys.cloud.plugins.module_utils import webhooks as wh
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import (
    PENDING_PREFIX, SCHEMAS_PATH, SELF_ID, Catalog)
from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema_apply import (
    plan_schema, planned_schema, stored_record_count)
from ansible_collections.genesys.cloud.plugins.module_utils.paging import WEBHOOK_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.webhook_apply import plan_webhook
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_ignore
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_records

READ_WORKERS = 16
ORGANIZATION_PATH = "/api/v2/organizations/me"
# A refused object lists this many problems in the summary and the failure message; the plan has them all.
REFUSALS_SHOWN = 10
KIND_LABEL = {"schemas": "schema", "records": "records of", "webhooks": "webhook"}


class Step:
    """One object of the run: its item (or, for an unmanaged object, None), direction and plan."""

    def __init__(self, kind, name, direction, item=None, where=None):
        self.kind, self.name, self.direction, self.item = kind, name, direction, item
        self.where = where or (item.where if item is not None else "(the org)")
        self.plan = None
        self.problems = []
        self.applied = None  # the apply's result, once applied

    @property
    def label(self):
        return "%s %s" % (KIND_LABEL[self.kind], self.name)

    @property
    def refused(self):
        return bool(self.problems)

    @property
    def changed(self):
        return bool(self.plan is not None and not self.refused and self.plan.changed)

    @property
    def action(self):
        """``create``, ``update``, ``delete``, ``none`` or ``refused`` (records: by their counts)."""
        if self.refused:
            return "refused"
        if self.plan is None:
            return "none"
        if self.kind != "records":
            return self.plan.action
        counts = self.plan.counts
        if not self.plan.changed:
            return "none"
        return "delete" if counts["delete"] and not (counts["create"] or counts["update"]) else "update"


class OrgRead:
    """Everything a run read, once: what the plan is made from and what a saved plan is checked against."""

    def __init__(self):
        self.organization = None
        self.schemas, self.webhooks = [], []
        self.catalog = Catalog([])
        self.pages = {}    # schema name -> [page of records] as read
        self.counts = {}   # schema name -> stored records (schemas a plan deletes)


def _record_reads(org, catalog):
    """Stored schemas (exact names) whose records the run compares with or checks relationships against."""
    wanted = set()
    for item in org["records"]:
        schema = catalog.find(item.name)
        if schema is None or schema["name"] != item.name:
            continue
        wanted.add(schema["name"])
        for field in schema["fields"]:
            target = catalog.by_id.get((field.get("relationship") or {}).get("schemaId"))
            if target is not None:
                wanted.add(target["name"])
    names = set(item.name for item in org["records"])
    for item in org["schemas"]:
        if item.name in names:
            for target in od.relationship_targets(item):
                schema = catalog.find(target)
                if schema is not None:
                    wanted.add(schema["name"])
    return sorted(wanted)


def read_org(client, org, unmanaged=False, progress=None):
    """Every read of the run, in parallel: org, schemas, webhooks, then the records the plan needs."""
    read = OrgRead()
    with ThreadPoolExecutor(max_workers=READ_WORKERS) as pool:
        me = pool.submit(lambda: client.get_or_none(ORGANIZATION_PATH))
        schemas = pool.submit(lambda: list(client.paginate(SCHEMAS_PATH, page_size=100)))
        hooks = pool.submit(lambda: list(client.paginate(wh.WEBHOOKS_PATH, page_size=WEBHOOK_PAGE_SIZE)))
        read.schemas, read.webhooks = schemas.result(), hooks.result()
        read.organization = me.result()
        read.catalog = Catalog(read.schemas)
        names = _record_reads(org, read.catalog)
        pages = dict((name, pool.submit(_read_pages, client, name)) for name in names)
        counted = set(item.name for item in org["schemas"] if item.absent)
        if unmanaged:
            managed = set(item.name.lower() for item in org["schemas"])
            counted |= set(s["name"] for s in read.schemas if s["name"].lower() not in managed
                           and org_ignore.pattern_for(_ignore(org), "schemas", s["name"]) is None)
        counts = dict((name, pool.submit(_count, client, read.catalog, name)) for name in sorted(counted))
        read.pages = dict((name, future.result()) for name, future in pages.items())
        read.counts = dict((name, future.result()) for name, future in counts.items())
    if progress is not None:
        progress("read %d schemas, %d webhooks and the records of %d schemas"
                 % (len(read.schemas), len(read.webhooks), len(read.pages)))
    return read


def _read_pages(client, name):
    return [page["entities"] for page in client.paginate_pages(org_records.records_path(name), page_size=500)]


def _count(client, catalog, name):
    stored = catalog.find(name)
    return stored_record_count(client, stored["name"]) if stored is not None else 0


class OrgPlan:
    """One org run's plan: every step (in apply order) with its plan value, the problems of the
    definition, the objects the directory does not manage, and what it was planned against."""

    def __init__(self, org, read):
        self.org, self.read = org, read
        self.steps = []
        self.problems = []
        self.unmanaged = []
        self.ignored = []  # objects not managed here that org.yml ignores on purpose
        self.report_unmanaged = False  # whether objects (and records) the definition does not name are listed
        self.records_by_name = None  # schema name -> its first record-set step, once steps are made
        self.catalog = None  # the planning catalog (what the org will hold)
        self._schema_steps = None  # (name, direction) -> its first schema step, once steps are made

    def schema_step(self, name, direction="apply"):
        """The first schema step of ``name``; looked up in an index made once every step is there."""
        if self._schema_steps is None:
            self._schema_steps = {}
            for step in self.steps:
                if step.kind == "schemas":
                    self._schema_steps.setdefault((step.name, step.direction), step)
        return self._schema_steps.get((name, direction))

    @staticmethod
    def refusal_line(step):
        unsafe = any("allow_unsafe_type_changes" in str(problem) for problem in step.problems)
        kind = "schema change %s" % step.name if step.kind == "schemas" else step.label
        shown = [str(problem) for problem in step.problems[:REFUSALS_SHOWN]]
        if len(step.problems) > REFUSALS_SHOWN:
            shown.append("and %d more (the plan lists them)" % (len(step.problems) - REFUSALS_SHOWN))
        return "%s %s: %s" % ("UNSAFE" if unsafe else "REFUSED", kind, "; ".join(shown))

    def refusals(self):
        """Every problem that refuses the plan: of the definition, then of each step."""
        return list(self.problems) + [self.refusal_line(step) for step in self.steps if step.refused]

    @property
    def refused(self):
        return bool(self.problems) or any(step.refused for step in self.steps)

    def close(self):
        for step in self.steps:
            if step.kind == "records" and step.plan is not None:
                step.plan.close()


def _copied(value):
    """A deep copy of JSON data (several times faster than copy.deepcopy)."""
    return json.loads(json.dumps(value))


def _rank(level_of, levels, name):
    return level_of.get(name.lower(), len(levels))


def plan_org(org, read, allow_unsafe=False, unmanaged=None, delete_unmanaged=False):
    """Plan every object of ``org`` (checked by org_directory) from ``read``; no request."""
    plan = OrgPlan(org, read)
    levels, level_of = od.schema_levels(list(org["schemas"]))
    schemas = [item for level in levels for item in level]
    records = sorted(org["records"], key=lambda item: _rank(level_of, levels, item.name))
    plan.problems = reference_problems(org, read)
    add = plan.steps.append
    for item in schemas:
        if not item.absent:
            add(Step("schemas", item.name, "apply", item))
    for item in records:
        if not item.absent:
            add(Step("records", item.name, "apply", item))
    for item in org["webhooks"]:
        if not item.absent:
            add(Step("webhooks", item.name, "apply", item))
    for item in org["webhooks"]:
        if item.absent:
            add(Step("webhooks", item.name, "remove", item))
    for item in reversed(records):
        if item.absent:
            add(Step("records", item.name, "remove", item))
    for item in reversed(schemas):
        if item.absent:
            add(Step("schemas", item.name, "remove", item))
    plan.report_unmanaged = bool(unmanaged)
    plan.problems += org_ignore.managed_problems(_ignore(org), org)
    for found in unmanaged_objects(org, read) if unmanaged else []:
        ignored = org_ignore.pattern_for(_ignore(org), found["kind"], found["name"]) is not None
        (plan.ignored if ignored else plan.unmanaged).append(found)
    if delete_unmanaged:
        for found in plan.unmanaged:
            add(Step(found["kind"], found["name"], "remove", where="(not managed here)"))
    plan.catalog = catalog = Catalog(_copied(read.schemas))
    for step in plan.steps:
        if step.kind == "schemas":
            _plan_schema(step, catalog, read, allow_unsafe)
    for step in plan.steps:
        if step.kind == "records":
            _plan_records(plan, step)
        elif step.kind == "webhooks":
            _plan_webhook(step, read)
    if unmanaged:
        plan.unmanaged += unmanaged_records(plan)
    return plan


def _ignore(org):
    return (org.get("settings") or {}).get("ignore") or {}


def _params(step, **overrides):
    if step.item is not None:
        params = dict(step.item.params)
    else:  # an unmanaged object the run deletes
        params = dict(name=step.name, state="absent", force=True, purge_fields=False, description=None,
                      fields=None, allow_unsafe_type_changes=False, endpoint=None, event_types=None,
                      enabled=True, headers=None, filter=None, secret=None, update_secret="on_create")
    params.update(overrides)
    return params


def _plan_schema(step, catalog, read, allow_unsafe):
    params = _params(step)
    if step.direction == "remove":
        params["state"] = "absent"
    if step.item is not None and "allow_unsafe_type_changes" not in step.item.data:
        params["allow_unsafe_type_changes"] = allow_unsafe
    step.plan = plan_schema(params, catalog, read.counts.get(step.name, 0))
    if step.plan.action == "refused":
        step.problems = list(step.plan.problems)
        return
    predicted = planned_schema(step.plan)
    if predicted is not None:
        catalog.remember(predicted)


def _future_fields(plan, name):
    """The fields (API shape, by name) schema ``name`` has after the run, each relationship naming its
    target schema (``schemaName``); None when the schema is unknown."""
    step = plan.schema_step(name)
    if step is not None and not step.refused:
        fields = step.plan.after["fields"]
    else:  # not in the definition, or refused (its records are shown against the schema as stored)
        stored = plan.read.catalog.find(name)
        if stored is None or stored["name"] != name:
            return None
        fields = stored["fields"]
    result = {}
    for field in _copied(fields):
        relationship = field.get("relationship")
        if relationship:
            target = relationship.get("schemaId") or ""
            if target == SELF_ID or target == PENDING_PREFIX + name:
                relationship["schemaName"] = name
                relationship.pop("schemaId", None)
            elif target.startswith(PENDING_PREFIX):
                relationship["schemaName"] = target[len(PENDING_PREFIX):]
                relationship.pop("schemaId", None)
            else:
                relationship["schemaName"] = (plan.catalog.name_of(target) or plan.read.catalog.name_of(target)
                                              or target)
        result[field["name"]] = field
    return result


def _plan_records(plan, step):
    if step.direction == "remove":
        params = dict(step.item.params, state="absent")
        step.item = _with_params(step.item, params)
    fields = _future_fields(plan, step.name)
    if fields is None:
        return  # the schema is unknown: its problem is listed already
    read = plan.read
    planned = dict(_records_steps(plan))
    if planned.get(step.name) is step:
        del planned[step.name]

    def targets(schema, field):
        other = planned.get(schema)
        if other is not None and other.plan is not None:
            return other.plan.values_after(field)
        values = set()
        for page in read.pages.get(schema, []):
            values.update(str(item[field]) for item in page if item.get(field) is not None)
        return values

    refused_targets = sorted(set(
        field["relationship"]["schemaName"] for field in fields.values()
        if field.get("relationship") and field["relationship"]["schemaName"] in planned
        and planned[field["relationship"]["schemaName"]].refused))
    if refused_targets:  # checking against a refused set would refuse every record again, one by one
        step.plan = org_records.RecordSetPlan(step.item, step.name, problems=[
            "not checked: its relationships point at the records of %s, which are refused (fix those first)"
            % ", ".join(refused_targets)])
    else:
        step.plan = org_records.plan_record_set(step.item, step.name, fields, read.pages.get(step.name, []),
                                                targets, untouched=plan.report_unmanaged)
    step.problems = list(step.plan.problems)


def _records_steps(plan):
    """``(schema name, step)`` of the plan's record sets, the first of each name, worked out once a plan."""
    steps = plan.records_by_name
    if steps is None:
        steps = plan.records_by_name = {}
        for other in plan.steps:
            if other.kind == "records":
                steps.setdefault(other.name, other)
    return steps.items()


def _with_params(item, params):
    clone = copy.copy(item)
    clone.params = params
    return clone


def _plan_webhook(step, read):
    params = _params(step)
    if step.direction == "remove":
        params["state"] = "absent"
    try:
        step.plan = plan_webhook(params, read.webhooks)
    except GenesysCloudError as exc:  # two stored webhooks share the name
        step.problems = [exc.message]


def reference_problems(org, read):
    """Relationships to a schema that neither the definition nor the org has; record files whose
    schema is nowhere, or is named in another case."""
    known = set(item.name.lower() for item in org["schemas"] if not item.absent)
    known |= set(schema["name"].lower() for schema in read.schemas)
    exact = set(item.name for item in org["schemas"] if not item.absent) | set(s["name"] for s in read.schemas)
    problems = []
    for item in org["schemas"]:
        if item.absent:
            continue
        for index, field in enumerate(item.params["fields"] or []):
            target = (field.get("relationship") or {}).get("schema")
            if target and target.lower() not in known and target.lower() != item.name.lower():
                problems.append("%s: fields[%d].relationship.schema: no schema named %s in the org or the "
                                "directory" % (item.where, index, target))
    for item in org["records"]:
        if item.absent:
            continue
        if item.name.lower() not in known:
            problems.append("%s: schema %s is neither in the org nor in the directory" % (item.where, item.name))
        elif item.name not in exact:
            named = sorted(name for name in exact if name.lower() == item.name.lower())
            problems.append("%s: the records name schema %s, which is spelt %s: name the file (or schema:) exactly "
                            "as the schema" % (item.where, item.name, " or ".join(named)))
    return problems


def unmanaged_objects(org, read):
    """Schemas and webhooks the org holds that the definition does not name (with each schema's records)."""
    schemas = set(item.name.lower() for item in org["schemas"])
    hooks = set(item.name.lower() for item in org["webhooks"])
    found = [dict(kind="schemas", name=s["name"], id=s["id"], records=read.counts.get(s["name"]))
             for s in sorted(read.schemas, key=lambda s: s["name"]) if s["name"].lower() not in schemas]
    found += [dict(kind="webhooks", name=h.get("name"), id=h.get("id"))
              for h in sorted(read.webhooks, key=lambda h: h.get("name") or "")
              if (h.get("name") or "").lower() not in hooks]
    return found


def unmanaged_records(plan):
    """Stored records of the record sets without purge that no file names, per set: how many and the first keys.

    Known from the pages the plan read anyway; ``delete_unmanaged`` leaves them (``purge: true`` deletes them)."""
    found = []
    for step in plan.steps:
        if step.kind == "records" and step.direction == "apply" and step.plan is not None and step.plan.untouched:
            found.append(dict(kind="records", name=step.name, records=step.plan.untouched,
                              keys=list(step.plan.untouched_keys)))
    return found
