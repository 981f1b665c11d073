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
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, NAMES
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_report
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_saved
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_saved_actions as actions_of
from ansible_collections.genesys.cloud.plugins.plugin_utils import session
from ansible_collections.genesys.cloud.plugins.plugin_utils.censor import censor
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_apply import WRITE_WORKERS, apply_org, written
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_plan import READ_WORKERS, plan_org, read_org

ORG_ARGUMENTS = module_arguments(dict(
    org_dir=dict(type="path"),
    root=dict(type="path"),
    preview=dict(type="bool", default=False),
    fail_on_changes=dict(type="bool", default=False),
    fail_on_refused=dict(type="bool", default=True),
    fail_on_unmanaged=dict(type="bool", default=False),
    delete_unmanaged=dict(type="bool", default=False),
    plan_json=dict(type="path"),
    plan_markdown=dict(type="path"),
    return_plan_markdown=dict(type="bool", default=False),
    apply_plan=dict(type="raw"),
    return_plan_artifact=dict(type="bool", default=False),
    # one option per kind (its items given as variables), and the options the kinds' plans take
    **dict([(kind.name, dict(type="list", elements="dict", default=[])) for kind in KINDS]
           + [(name, spec) for kind in KINDS for name, spec in kind.run_options.items()])
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


def _shown_path(path):
    return path if len(path) <= 120 else "%s...%s" % (path[:60], path[-40:])


def plan_path_problems(params):
    """Plan paths that cannot be written, found before any request: each is created (a probe) and removed again,
    so a name too long or a path under /proc fails here, not after the apply. Removes an earlier run's plan files."""
    problems = []
    for option in PLAN_OUTPUTS:
        path = params.get(option)
        if not path:
            continue
        path = os.path.abspath(path)
        shown = _shown_path(path)
        try:
            if os.path.isdir(path):
                problems.append("%s: %s is a directory; give a file path" % (option, shown))
                continue
            if os.path.lexists(path):
                os.remove(path)  # never leave an earlier run's plan behind for a CI step to post
            directory = os.path.dirname(path)
            if not os.path.isdir(directory):
                os.makedirs(directory)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644))
            os.remove(path)
        except (IOError, OSError) as exc:
            problems.append("%s: %s cannot be written (%s)" % (option, shown, exc.strerror or type(exc).__name__))
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
    result = dict(changed=summary["changed"], check_mode=check_mode,
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
    if not check_mode:  # what was written, a step that failed part-way included (its audit says so)
        result["changed"] = bool(written(plan)) or any(entry.get("outcome") == "success" for entry in audit)
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
        org = od.load_org(params["org_dir"], root=params["root"], **dict((kind, params[kind]) for kind in NAMES))
        saved = (org_saved.load_saved(params["apply_plan"], inventory_host) if params.get("apply_plan") not in
                 (None, "", {}) else None)
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
    keep = bool(params["plan_json"] or params["return_plan_artifact"] or saved is not None)
    basis = org_saved.basis(params, org, read) if keep else None
    if saved is not None:
        moved = org_saved.moved(org_saved.comparable_basis(saved["basis"]), basis)
        if moved:
            return _failed("the saved plan %s no longer matches the org, nothing was changed: %s. %s."
                           % (saved["where"], "; ".join(moved), org_saved.FRESH_PLAN.capitalize()),
                           problems=moved)
    plan = plan_org(org, read, dict((name, params[name]) for kind in KINDS for name in kind.run_options), unmanaged=unmanaged,
                    delete_unmanaged=params["delete_unmanaged"] and unmanaged)
    try:
        promise = _saved_actions(plan, params, unmanaged, saved, no_log_values) if keep else None
        if saved is not None:
            difference = actions_of.first_difference(saved["saved"]["options"], saved["saved"]["actions"],
                                                     promise["options"], promise["actions"])
            if difference:
                return censor(_failed(
                    "the saved plan %s is not what this run would apply, nothing was changed: %s. %s."
                    % (saved["where"], difference, org_saved.FRESH_PLAN.capitalize()), problems=[difference]),
                    no_log_values)
        try:
            result = _run_plan(client, plan, params, check_mode, diff, progress, before, inventory_host, basis)
        except Exception as exc:  # a bug after the apply began: still say what was written, with its audit
            if not any(step.applied is not None for step in plan.steps):
                raise
            return censor(_after_writes(plan, exc), no_log_values)
        if promise is not None:
            result["plan"]["saved"] = promise
    finally:
        plan.close()
    result = censor(result, no_log_values) if no_log_values else result
    return _published(result, params, keep)


def _saved_actions(plan, params, unmanaged, saved, no_log_values):
    """What a saved plan promises: the options that shaped it and every action with the digests of its values."""
    salt = saved["saved"]["salt"] if saved is not None else actions_of.new_salt()
    return dict(salt=salt, options=actions_of.shaping_options(params, unmanaged),
                actions=censor(actions_of.plan_actions(plan, salt), no_log_values))


def _published(result, params, keep):
    """The plan files and artifact, made from the censored result; a plan that cannot be written after the apply
    wrote fails the task, which still reports what was written (``changed``, ``objects``, ``audit``)."""
    if keep:
        result["plan"] = org_saved.sealed(result["plan"])
    if params["return_plan_artifact"]:
        result["plan_artifact"] = org_saved.artifact(result["plan"])
    for option, render in (("plan_json", org_report.plan_json), ("plan_markdown", org_report.plan_markdown)):
        if not params[option]:
            continue
        try:
            _write_text(params[option], render(result["plan"]))
        except (IOError, OSError) as exc:
            wrote = "; it wrote to the org before: see objects and audit" if result.get("changed") else ""
            result.update(failed=True, msg="%s%s: %s cannot be written (%s)%s" % (
                result["msg"] + "; and " if result.get("failed") else "", option,
                _shown_path(os.path.abspath(params[option])), exc.strerror or type(exc).__name__, wrote))
    return result


def _after_writes(plan, exc):
    done = written(plan)
    audit = [entry for step in plan.steps for entry in ((step.applied or {}).get("audit") or [])]
    return dict(failed=True, changed=bool(done) or any(entry.get("outcome") == "success" for entry in audit),
                msg="the org run failed after it began writing (%s: %s). %s" % (
                    type(exc).__name__, exc, "Already written: %s." % "; ".join(done) if done else
                    "Nothing was written."), audit=_org_tags(audit, plan.read.organization))


def _applied(client, plan, diff, progress):
    """Apply ``plan``; the failed step, or a failure message for an error no step caught (after writes too)."""
    try:
        return apply_org(client, plan, diff, progress), None
    except Exception as exc:  # a bug: the result must still say what was written before it
        return None, "%s: %s" % (type(exc).__name__, exc)


def _run_plan(client, plan, params, check_mode, diff, progress, before, inventory_host, basis):
    failure, refusals = None, plan.refusals()
    if refusals and not check_mode:
        failure = "the org definition cannot be applied, nothing was changed. Fix: %s" % "; ".join(refusals)
    elif refusals and params["fail_on_refused"]:
        failure = ("the plan refuses %d change(s); applying it would write nothing. Fix: %s"
                   % (len(refusals), "; ".join(refusals)))
    elif not check_mode:
        failed, error = _applied(client, plan, diff, progress)
        done = written(plan)
        already = "Already written before it: %s." % "; ".join(done) if done else "Nothing was written before it."
        if failed is not None:
            failure = "the org run stopped at %s: %s. %s" % (
                failed.label, str(failed.applied.get("msg")).replace(", nothing was changed", ""), already)
        elif error is not None:
            failure = "the org run stopped: %s. %s" % (error, already)
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
    return result


def client_for(params, check_mode):
    """The one client of an org run: read-only in check mode, a connection pool for the parallel reads,
    and the token the run's other genesys.cloud tasks share (plugin_utils/session.py)."""
    return session.client_for(params, check_mode=check_mode or params.get("preview", False),
                              pool_size=READ_WORKERS + WRITE_WORKERS * 4)
