# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A trigger in the user's shape and in the API's (REAL_API.md §10), the checks of the user's input, and
the workflow a trigger names (by name or id, published)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.options import LIST_OPERATORS

TRIGGERS_PATH = "/api/v2/processautomation/triggers"
TOPICS_PATH = TRIGGERS_PATH + "/topics"
FLOWS_PATH = "/api/v2/flows"
MAX_NAME, MAX_DESCRIPTION = 256, 512
_STEP = r"(?:[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])"
JSON_PATH_RE = re.compile(r"^(?:\$(?:\.%s|\[[0-9]+\])*|%s(?:\.%s|\[[0-9]+\])*)$" % (_STEP, _STEP, _STEP))
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# user option -> API key of the options compared one to one
SCALARS = (("name", "name"), ("topic", "topicName"), ("enabled", "enabled"), ("event_ttl_seconds", "eventTTLSeconds"),
           ("delay_by_seconds", "delayBySeconds"), ("description", "description"))
USER_KEYS = ("name", "topic", "workflow", "data_format", "match_criteria", "enabled", "event_ttl_seconds",
             "delay_by_seconds", "description")


def _scalar(value):
    return isinstance(value, (str, int, float, bool)) and value is not None


def criterion_problems(index, criterion):
    at = "match_criteria[%d]" % index
    problems = []
    if not JSON_PATH_RE.match(criterion.get("json_path") or ""):
        problems.append("%s: json_path %r is not a JSON path like $.a.b[0] (or bare a.b[0])"
                        % (at, (criterion.get("json_path") or "")[:60]))
    operator = criterion.get("operator")
    value, values = criterion.get("value"), criterion.get("values")
    if operator in LIST_OPERATORS:
        if value is not None or not values or not all(_scalar(v) for v in values):
            problems.append("%s: %s takes values (a list of strings, numbers or booleans) and no value"
                            % (at, operator))
    elif values is not None or not _scalar(value):
        problems.append("%s: %s takes value (a string, number or boolean) and no values" % (at, operator))
    elif operator == "Exists" and not isinstance(value, bool):
        problems.append("%s: Exists takes value true or false" % at)
    elif operator == "Size" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        problems.append("%s: Size takes a whole number >= 0" % at)
    return problems


def trigger_problems(params):
    """Every problem of a trigger task's input that needs no read."""
    problems = []
    if not 1 <= len(params.get("name") or "") <= MAX_NAME:
        problems.append("name must be 1 to %d characters" % MAX_NAME)
    if params.get("description") is not None and len(params["description"]) > MAX_DESCRIPTION:
        problems.append("description must be at most %d characters" % MAX_DESCRIPTION)
    ttl, delay = params.get("event_ttl_seconds"), params.get("delay_by_seconds")
    if ttl is not None and ttl < 10:
        problems.append("event_ttl_seconds must be 10 or more")
    if delay is not None and not 60 <= delay <= 900:
        problems.append("delay_by_seconds must be from 60 to 900")
    for index, criterion in enumerate(params.get("match_criteria") or []):
        problems.extend(criterion_problems(index, criterion))
    return problems


def normal_criterion(criterion):
    key = "values" if criterion.get("operator") in LIST_OPERATORS else "value"
    return {"json_path": criterion.get("json_path") or criterion.get("jsonPath"),
            "operator": criterion["operator"], key: criterion.get(key)}


def _canonical(value):
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def criteria_key(criteria):
    """Criteria compared as a set, in canonical JSON (5 and 5.0 are one number)."""
    return sorted(json.dumps(dict((k, _canonical(v)) for k, v in c.items()), sort_keys=True) for c in criteria or [])


def to_user(trigger):
    """A stored trigger in the module's shape (``workflow`` is the workflow's id), with id and version."""
    user = dict((option, trigger.get(key)) for option, key in SCALARS)
    target = trigger.get("target") or {}
    user["workflow"] = target.get("id")
    user["data_format"] = (target.get("workflowTargetSettings") or {}).get("dataFormat") or "Json"
    user["match_criteria"] = [normal_criterion(c) for c in trigger.get("matchCriteria") or []]
    user["description"] = user["description"] or ""
    return dict(user, id=trigger.get("id"), version=trigger.get("version"))


def to_api(user):
    """The POST/PUT body of a trigger in the user's shape (no version)."""
    body = dict((key, user[option]) for option, key in SCALARS if user.get(option) is not None)
    body["target"] = {"type": "Workflow", "id": user["workflow"],
                      "workflowTargetSettings": {"dataFormat": user.get("data_format") or "Json"}}
    body["matchCriteria"] = [dict(jsonPath=c["json_path"], operator=c["operator"],
                                  **dict((k, c[k]) for k in ("value", "values") if k in c))
                             for c in user.get("match_criteria") or []]
    return body


def same(option, left, right):
    if option == "match_criteria":
        return criteria_key(left) == criteria_key(right)
    return left == right


def find_by_name(triggers, name):
    """The stored triggers called ``name`` (exactly; the service does not make names unique)."""
    return [t for t in triggers if t.get("name") == name]


def resolve_workflow(workflows, ref):
    """``(workflow, problem)``: the published workflow ``ref`` names (its id, or its name case-insensitively)."""
    if UUID_RE.match(ref):
        found = [w for w in workflows if w.get("id") == ref]
    else:
        found = [w for w in workflows if (w.get("name") or "").lower() == ref.lower()]
        exact = [w for w in found if w.get("name") == ref]
        found = exact if len(found) > 1 and len(exact) == 1 else found
    if not found:
        return None, ("workflow %r is not a workflow of this org (GET %s?type=workflow does not list it). Give the "
                      "name or id of a published Architect workflow" % (ref[:80], FLOWS_PATH))
    if len(found) > 1:
        return None, ("workflow %r names %d workflows (ids %s); give its id instead"
                      % (ref[:80], len(found), ", ".join(w["id"] for w in found)))
    if not found[0].get("publishedVersion"):
        return None, ("workflow %s (%s) is not published; a trigger can only start a published workflow. Publish it "
                      "in Architect, then run the task again" % (found[0].get("name"), found[0].get("id")))
    return found[0], None
