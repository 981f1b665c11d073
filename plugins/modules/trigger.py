#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: trigger
short_description: Manage a Genesys Cloud process-automation trigger
version_added: 0.3.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Creates, updates, replaces or deletes one trigger under C(/api/v2/processautomation/triggers), identified by its
    exact name. A trigger starts a published Architect workflow for every event of its topic that matches all of its
    O(match_criteria).
  - The module is idempotent. A write is only sent when an option given differs from the stored trigger; options left
    out keep their stored values.
  - A trigger's topic never changes on the server. A new O(topic) is planned as a replacement, shown as C(replace) in
    RV(action) and in the diff's headers; applying it deletes the stored trigger and creates a new one (with a new id).
  - A trigger carries a C(version). An update sends the version it read; when someone changed the trigger in between
    the server refuses it (with a 409, or a 400 saying the version does not match), and the module reads it again,
    applies only this task's changed options and sends it again, up to three times. A replacement reads the trigger
    again first and builds the new one from that read.
  - O(workflow) and O(topic) are checked before any write, in check mode too. The workflow is looked up with
    C(GET /api/v2/flows?type=workflow) and must be published; the topic must be one the org offers
    (C(GET .../triggers/topics)).
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
attributes:
  check_mode:
    support: full
    description: Reads the triggers, the topics and the workflow, reports what would change and sends no write.
  diff_mode:
    support: full
    description: Shows the trigger before and after; a replacement says so in the diff's headers.
options:
  name:
    description:
      - The trigger's name, 1 to 256 characters; it identifies the trigger (compared exactly).
      - The service does not keep names unique. When two stored triggers share the name the module fails, naming
        both ids, and changes nothing.
    type: str
    required: true
  topic:
    description:
      - The event topic, for example C(v2.taskmanagement.workitems.{id}). Required with O(state=present).
      - A different topic from the stored one replaces the trigger (delete, then create).
    type: str
  workflow:
    description:
      - The workflow to start, by name (case-insensitive) or id. It must be published. Required with O(state=present).
    type: str
  data_format:
    description:
      - How the event reaches the workflow. Left out, the stored format is kept (C(Json) for a new trigger).
    type: str
    choices: [Json, TopLevelPrimitives]
  match_criteria:
    description:
      - Conditions every event must meet to start the workflow, compared without regard to order. Left out, the stored
        criteria are kept; V([]) removes them all.
    type: list
    elements: dict
    suboptions:
      json_path:
        description: Where in the event to look, a JSON path like C($.priority) or C($.a.b[0]) (or bare, C(priority)).
        type: str
        required: true
      operator:
        description: How to compare. C(In), C(NotIn) and C(All) take O(match_criteria[].values), the rest
          O(match_criteria[].value).
        type: str
        required: true
        choices: [GreaterThanOrEqual, LessThanOrEqual, Equal, NotEqual, LessThan, GreaterThan, NotIn, In, Contains,
                  All, Exists, Size]
      value:
        description: A string, number or boolean (C(Exists) takes a boolean, C(Size) a whole number).
        type: raw
      values:
        description: A list of strings, numbers or booleans.
        type: list
        elements: raw
  enabled:
    description:
      - Whether the trigger starts its workflow.
    type: bool
    default: true
  event_ttl_seconds:
    description:
      - How old, in seconds (10 or more), an event may be and still start the workflow. Excludes
        O(delay_by_seconds); setting one removes the other. Left out, the stored value is kept.
    type: int
  delay_by_seconds:
    description:
      - Start the workflow this many seconds (60 to 900) after the event. Excludes O(event_ttl_seconds); setting one
        removes the other. Left out, the stored value is kept.
    type: int
  description:
    description:
      - The trigger's description, at most 512 characters. Left out, the stored one is kept.
    type: str
  state:
    description:
      - V(present) creates, updates or replaces the trigger, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Needs the C(process-automation) scope, and C(architect:readonly) to look the workflow up.
seealso:
  - module: genesys.cloud.trigger_info
  - module: genesys.cloud.workitem_schema
"""

EXAMPLES = r"""
- name: Escalate urgent claim workitems
  genesys.cloud.trigger:
    name: claimEscalation
    topic: v2.taskmanagement.workitems.{id}
    workflow: Escalate claim
    match_criteria:
      - json_path: $.priority
        operator: GreaterThanOrEqual
        value: 5
      - json_path: $.typeName
        operator: In
        values: [claim, complaint]
    event_ttl_seconds: 60
    description: Starts the escalation workflow for urgent claims

- name: Pause the trigger, keeping everything else
  genesys.cloud.trigger:
    name: claimEscalation
    topic: v2.taskmanagement.workitems.{id}
    workflow: Escalate claim
    enabled: false

- name: Remove the trigger
  genesys.cloud.trigger:
    name: claimEscalation
    state: absent
"""

RETURN = r"""
trigger:
  description:
    - The trigger as stored after the run (as it would be, in check mode), in the shape of the module's options
      (O(workflow) as the workflow's id), with its id and version. A trigger still to be created or replaced has no
      id in check mode. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7d1c2a4e-9b0f-4e55-8c3a-2f6b1e0d4a77
    version: 1
    name: claimEscalation
    topic: v2.taskmanagement.workitems.{id}
    workflow: 0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f
    data_format: Json
    match_criteria:
      - {json_path: $.priority, operator: GreaterThanOrEqual, value: 5}
    enabled: true
    event_ttl_seconds: 60
    delay_by_seconds:
    description: Starts the escalation workflow for urgent claims
action:
  description: What the task did (or would do), one of C(create), C(update), C(replace), C(delete) and C(none).
  returned: always
  type: str
  sample: replace
changes:
  description: The options that were (or would be) changed.
  returned: always
  type: list
  elements: str
  sample: [match_criteria, topic]
diff:
  description: The trigger before and after (with C(--diff)); for a replacement, C(before_header) and
    C(after_header) say that the trigger is deleted and created anew.
  returned: when changed
  type: dict
metrics:
  description: What the API client did for this task; the same keys in every module of the collection.
  returned: always
  type: dict
  contains:
    org:
      description: The org's API host.
      type: str
    requests:
      description: API requests sent, retries included.
      type: int
    token_requests:
      description: Token requests sent.
      type: int
    retries:
      description: Requests sent again after a transient failure.
      type: int
    waits:
      description: Times the client waited for backoff or rate-limit pacing.
      type: int
    wait_seconds:
      description: Seconds spent waiting.
      type: float
    rate_limited:
      description: 429 answers received.
      type: int
    reauthentications:
      description: Tokens fetched again after a 401.
      type: int
    conflicts:
      description: Version conflicts met.
      type: int
    recovered_writes:
      description: Creates found applied after a failure in transit.
      type: int
    seconds:
      description: Wall-clock seconds the client was in use.
      type: float
audit:
  description:
    - One entry per write (never a secret); read by the C(genesys.cloud.audit) callback.
  returned: always
  type: list
  elements: dict
  contains:
    time:
      description: When the change ended, RFC 3339 UTC.
      type: str
    org:
      description: The org's API host.
      type: str
    resource:
      description: Always C(trigger).
      type: str
    name:
      description: The trigger's name.
      type: str
    id:
      description: The trigger's id.
      type: str
    action:
      description: One of C(create), C(update) and C(delete) (a replacement is a delete and a create).
      type: str
    outcome:
      description: C(success) or C(failed).
      type: str
    latency_ms:
      description: Milliseconds the change took.
      type: int
    requests:
      description: API requests the change used.
      type: int
    correlation_id:
      description: The last correlation id the server sent.
      type: str
    error:
      description: The error code when the change failed.
      type: str
    fields:
      description: For an update, the options that changed.
      type: list
      elements: str
"""

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.task import ARGUMENTS, run
from ansible_collections.genesys.cloud.plugins.module_utils.runner import new_module, run_module


def main():
    run_module(new_module(ARGUMENTS), run)


if __name__ == "__main__":
    main()
