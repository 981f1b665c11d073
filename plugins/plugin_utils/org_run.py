# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One whole-org run over one client: load, read once, plan once, show or apply that plan.

The steps, all in the ``genesys.cloud.org`` action (one process, one token, one pacer):

1. check the plan paths (``plan_json``, ``plan_markdown``) and remove the plan files of an earlier run;
2. load and check the org definition completely (plugin_utils/org_directory.py), no request;
3. read the org once, in parallel (plugin_utils/org_plan.py ``read_org``);
4. plan every object from those reads into one value (``plan_org``); a saved plan
   (``apply_plan``) is checked against what was read (plugin_utils/org_saved.py);
5. a plan with any refusal is never applied (nothing is written) and fails the preview too;
6. apply exactly that plan in dependency order (plugin_utils/org_apply.py);
7. report: summary, per-object results, the plan artifact (plugin_utils/org_report.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_report
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_saved
from ansible_collections.genesys.cloud.plugins.plugin_utils import session
from ansible_collections.genesys.cloud.plugins.plugin_utils.censor import censor
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_apply import WRITE_WORKERS, apply_org, written
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_plan import READ_WORKERS, plan_org, read_org

ORG_ARGUMENTS = module_arguments(dict(
    org_dir=dict(type="path"),
    root=dict(type="path"),
    schemas=dict(type="list", elements="dict", default=[]),
    records=dict(type="list", elements="dict", default=[]),
    webhooks=dict(type="list", elements="dict", default=[]),
    allow_unsafe_type_changes=dict(type="bool", default=False),
    preview=dict(type="bool", default=False),
    fail_on_changes=dict(type="bool", default=False),
    fail_on_refused=dict(type="bool", default=True),
    fail_on_unmanaged=dict(type="bool", default=False),
    delete_unmanaged=dict(type="bool", default=False),
    plan_json=dict(type="path"),
    plan_markdown=dict(type="path"),
    return_plan_markdown=dict(type="bool", default=False),
    apply_plan=dict(type="path"),
))
PLAN_OUTPUTS = ("plan_json", "plan_markdown")
# What a planned but unwritten object's entry in ``objects`` keeps; the rest (the definition, the changes, the
# keys) is in the plan, and a thousand objects' copies of it cost more than the run's planning.
PLANNED_KEPT = ("changed", "action", "id", "version", "created", "updated", "deleted", "unchanged", "skipped",
                "failed", "msg", "problems", "warnings")
APPLIED_LEFT_OUT = ("diff", "metrics", "audit")


def _failed(msg, **extra):
    result = dict(failed=True, changed=False, msg=msg)
    result.update(extra)
    return result


def plan_path_problems(params):
    """Plan paths that cannot be written, found before any request; removes an earlier run's plan files."""
    problems = []
    for option in PLAN_OUTPUTS:
        path = params.get(option)
        if not path:
            continue
        path = os.path.abspath(path)
        parent = os.path.dirname(path)
        while parent and not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if os.path.isdir(path):
            problems.append("%s: %s is a directory; give a file path" % (option, path))
        elif os.path.exists(path) and not os.access(path, os.W_OK):
            problems.append("%s: %s cannot be written (permission denied)" % (option, path))
        elif not os.path.isdir(parent) or not os.access(parent, os.W_OK | os.X_OK):
            problems.append("%s: %s cannot be created: %s is not a writable directory" % (option, path, parent))
        elif os.path.isfile(path):
            os.remove(path)  # never leave an earlier run's plan behind for a CI step to post
    return problems


def _write_text(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.makedirs(directory)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _org_tags(entries, organization):
    for entry in entries:
        entry["org_id"] = (organization or {}).get("id")
        entry["org_name"] = (organization or {}).get("name")
    return entries


def org_result(plan, client, before, check_mode, diff, inventory_host, basis):
    """The task result: summary, plan, per-object results and diffs, metrics and audit of the whole run."""
    applied = not check_mode and any(step.applied is not None for step in plan.steps)
    summary = org_report.summarize(plan, check_mode, applied=applied)
    document = org_report.plan_document(plan, summary, check_mode, client.org_host, inventory_host, basis)
    objects, diffs, warnings, audit = [], [], [], []
    budget = org_report.DiffBudget()
    for step in plan.steps:
        result = org_report.step_result(plan, step, diff and budget.open(), budget)
        objects.append(dict(kind=step.kind, name=step.name, direction=step.direction, source=step.where,
                            action=step.action, result=dict(
                                (k, v) for k, v in result.items()
                                if (k in PLANNED_KEPT if step.applied is None else k not in APPLIED_LEFT_OUT))))
        if budget.admit(result, diff):
            diffs.append(result["diff"])
        warnings += result.get("warnings") or []
        audit += result.get("audit") or []
    organization = plan.read.organization or {}
    result = dict(changed=bool(written(plan)) if not check_mode else summary["changed"], check_mode=check_mode,
                  summary=summary, plan=document, objects=objects,
                  organization=dict(id=organization.get("id"), name=organization.get("name"), host=client.org_host,
                                    inventory_host=inventory_host))
    if budget.rest():
        diffs.append(budget.rest())
    if diff and diffs:
        result["diff"] = diffs
    if warnings:
        result["warnings"] = warnings
    result["audit"] = _org_tags(audit, organization)
    result["metrics"] = client.metrics.since(before)
    result["metrics"].update(org=client.org_host, org_id=organization.get("id"), org_name=organization.get("name"))
    return result


def _pin_problem(org, organization):
    """An ``organization: {id|name}`` pin in org.yml that the token's org does not match."""
    pin = org.get("organization") if isinstance(org, dict) else None
    if not pin or not isinstance(pin, dict):
        return None
    organization = organization or {}
    for key in ("id", "name"):
        if pin.get(key) is not None and str(pin[key]) != str(organization.get(key)):
            return ("org.yml pins organization %s %s, but this run's token belongs to %s (%s); nothing was changed. "
                    "Point the run at the right org (credentials, region) or fix the pin"
                    % (key, pin[key], organization.get("name"), organization.get("id")))
    return None


def run_org(client, params, check_mode, diff=False, progress=None, inventory_host=None):
    """Run an org definition (``ORG_ARGUMENTS`` parameters) over ``client``; return the task result."""
    check_mode = check_mode or params["preview"]
    before = client.metrics.as_dict()
    problems = plan_path_problems(params)
    if problems:
        return _failed("the plan cannot be written, nothing was read or changed. Fix: %s" % "; ".join(problems),
                       problems=problems)
    try:
        org = od.load_org(params["org_dir"], params["schemas"], params["records"], params["webhooks"],
                          root=params["root"])
        saved = org_saved.load_saved(params["apply_plan"]) if params.get("apply_plan") else None
    except od.OrgDirectoryError as exc:
        return _failed(str(exc), problems=exc.problems)
    except ValueError as exc:
        return _failed("%s; nothing was changed" % exc, problems=[str(exc)])
    no_log_values = set()
    for kind in od.KINDS:
        for item in org[kind]:
            no_log_values |= item.no_log_values
    unmanaged = bool(params["org_dir"])
    try:
        read = read_org(client, org, unmanaged=unmanaged, progress=progress)
    except GenesysCloudError as exc:
        return censor(_failed("reading the org failed, nothing was changed: %s" % exc), no_log_values)
    pinned = _pin_problem(org, read.organization)
    if pinned:
        return _failed(pinned, problems=[pinned])
    basis = org_saved.basis(params, org, read) if params["plan_json"] or saved else None
    if saved is not None:
        moved = org_saved.moved(saved["basis"], basis)
        if moved:
            return _failed("the saved plan %s no longer matches the org, nothing was changed: %s. %s."
                           % (params["apply_plan"], "; ".join(moved), org_saved.FRESH_PLAN.capitalize()),
                           problems=moved)
    plan = plan_org(org, read, params["allow_unsafe_type_changes"], unmanaged=unmanaged,
                    delete_unmanaged=params["delete_unmanaged"] and unmanaged)
    try:
        result = _run_plan(client, plan, params, check_mode, diff, progress, before, inventory_host, basis)
    finally:
        plan.close()
    return censor(result, no_log_values) if no_log_values else result


def _run_plan(client, plan, params, check_mode, diff, progress, before, inventory_host, basis):
    failure, refusals = None, plan.refusals()
    if refusals and not check_mode:
        failure = "the org definition cannot be applied, nothing was changed. Fix: %s" % "; ".join(refusals)
    elif refusals and params["fail_on_refused"]:
        failure = ("the plan refuses %d change(s); applying it would write nothing. Fix: %s"
                   % (len(refusals), "; ".join(refusals)))
    elif not check_mode:
        failed = apply_org(client, plan, diff, progress)
        if failed is not None:
            done = written(plan)
            failure = "the org run stopped at %s: %s. %s" % (
                failed.label, str(failed.applied.get("msg")).replace(", nothing was changed", ""),
                "Already written before it: %s." % "; ".join(done) if done else "Nothing was written before it.")
    result = org_result(plan, client, before, check_mode, diff, inventory_host, basis)
    if failure:
        result.update(failed=True, msg=failure)
        if refusals:
            result["problems"] = refusals
    elif params["fail_on_changes"] and (result["summary"]["changed"] or result["summary"]["flags"]):
        result.update(failed=True, msg="the org differs from its definition: %s"
                      % "; ".join(result["summary"]["lines"]))
    elif params["fail_on_unmanaged"] and plan.unmanaged and not params["delete_unmanaged"]:
        result.update(failed=True, msg="the org holds objects its definition does not manage: %s"
                      % "; ".join(result["summary"]["unmanaged"]))
    if result.get("failed") and check_mode:
        result["plan_text"] = org_report.plan_text(result["plan"])
    if params["return_plan_markdown"]:
        result["plan_markdown_text"] = org_report.plan_markdown(result["plan"])
    for option, render in (("plan_json", org_report.plan_json), ("plan_markdown", org_report.plan_markdown)):
        if params[option]:
            _write_text(params[option], render(result["plan"]))
    return result


def client_for(params, check_mode):
    """The one client of an org run: read-only in check mode, a connection pool for the parallel reads,
    and the token the run's other genesys.cloud tasks share (plugin_utils/session.py)."""
    return session.client_for(params, check_mode=check_mode or params.get("preview", False),
                              pool_size=READ_WORKERS + WRITE_WORKERS * 4)
