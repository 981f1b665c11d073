#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: org
short_description: Apply or preview a whole Genesys Cloud org definition in one task
version_added: 0.2.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Applies an org-as-code directory (C(schemas/*.yml), C(records/<schema>.{yml,yaml,json,jsonl,csv}),
    C(webhooks/*.yml), C(workitem_schemas/*.yml), C(triggers/*.yml), C(datatables/*.yml),
    C(datatable_rows/<table>.{csv,json,jsonl}), optional C(org.yml)) and/or the same items given as options, in one task on the
    control node, with one API client (one token, one rate-limit pacer, parallel reads).
  - Every item is checked first against the rules of the module that manages it (unknown keys, types,
    choices, schema definitions, webhook endpoints and headers, relationship targets), and every record file
    is read to the end and checked against the schema it targets. All problems are listed at once, with their
    file, and nothing is sent before the whole definition is correct.
  - The org is then read once (the org itself, one list of schemas, one of webhooks, the records of the schemas the
    definition touches in pages of 500, in parallel) and every object is planned from those reads into one plan,
    with the logic of M(genesys.cloud.flex_schema), M(genesys.cloud.custom_object_records) and
    M(genesys.cloud.webhook). Records are checked against the schema as it will be after the run, and relationship
    values against the records their target holds after the run (stored and created by this run alike).
    If any change is refused (an unsafe type change, a record that breaks a unique value or names a missing
    target) nothing is written, and a preview fails too (O(fail_on_refused)).
  - Task-management workitem schemas (C(workitem_schemas/NAME.yml)) and process-automation triggers
    (C(triggers/NAME.yml)) hold the options of M(genesys.cloud.workitem_schema) and M(genesys.cloud.trigger) and
    are planned and applied by their logic; their lists are read only when the definition has one of them. A
    trigger's workflow is referenced, never managed - one the org does not have or has not published refuses
    the run, naming the file. A trigger whose topic changes is planned as a C(replace) (delete, then create).
  - The apply applies exactly that plan; ids of created schemas come from the answers to their creates.
  - Changes are applied in dependency order, schemas whose relationships point at others after their targets
    (independent ones in parallel), records schema by schema in the same order, then webhooks; items with
    C(state=absent) are removed afterwards in the reverse order. The first failure stops the run and the
    message lists what was already written.
  - This is an action plugin; it always runs on the control node, and files (O(org_dir), record sources,
    O(plan_json), O(plan_markdown)) are read and written there.
extends_documentation_fragment:
  - genesys.cloud.auth
  - genesys.cloud.attributes
options:
  org_dir:
    description:
      - Path of the org-as-code directory. Left out, only O(schemas), O(records) and O(webhooks) are used;
        with none of them the task fails.
      - Its C(org.yml) may name a C(base) directory it overlays, say C(templated=true) (string values rendered
        in a sandbox from the keys of the host variable C(genesys_org_vars) only; a vaulted value only as a
        webhook's C(secret) or a header value), C(allow_empty=true), pin the C(organization) and
        C(ignore) objects of the org on purpose (a mapping of a kind, V(schemas), V(webhooks), V(workitem_schemas),
        V(triggers) or V(datatables), to shell-style
        name patterns such as V(eda-*)); those are not listed in RV(plan.unmanaged), not deleted by O(delete_unmanaged) and do
        not fail O(fail_on_unmanaged); a pattern that matches an object the definition names refuses the run.
      - The directory is untrusted input. Nothing outside it and its bases is read (symbolic links that leave
        are refused), only regular files are opened, files have size limits, YAML aliases are refused, and
        unknown files are errors. See the org-as-code guide, "Allowed file names and sizes" and "The org root".
    type: path
  root:
    description:
      - The org root, the directory every read of the run stays inside. Left out, it is the git work tree that
        holds O(org_dir) (the nearest folder, O(org_dir) included, with a C(.git)), else the parent of O(org_dir).
      - A C(base) in C(org.yml) outside the root (by its path or through a symbolic link), O(org_dir) itself or a
        folder that holds it is refused before any request. O(org_dir) must lie inside the root.
      - The role C(genesys.cloud.org) takes it as C(org_root); the playbooks C(configure_org.yml) and
        C(preview_org.yml) as the variable C(genesys_org_root).
    type: path
  schemas:
    description:
      - Flex schemas, each as M(genesys.cloud.flex_schema) takes it (V(name), V(description), V(fields), V(state),
        V(purge_fields), V(allow_unsafe_type_changes), V(force)). One named like a file of O(org_dir) replaces it.
    type: list
    elements: dict
    default: []
  records:
    description:
      - Record sets, each as M(genesys.cloud.custom_object_records) takes it (V(schema), V(records) or V(src),
        V(key), V(purge), V(state), V(conflict_resolution), V(batch_size), V(concurrency)). One for a schema that
        O(org_dir) has records for replaces the directory's.
    type: list
    elements: dict
    default: []
  webhooks:
    description:
      - Webhooks, each as M(genesys.cloud.webhook) takes it. One named like a file of O(org_dir) replaces it.
      - Give webhooks that need a signing secret (O(genesys.cloud.webhook#module:secret)) here, from Ansible Vault, never in a file.
    type: list
    elements: dict
    default: []
  workitem_schemas:
    description:
      - Workitem schemas, each as M(genesys.cloud.workitem_schema) takes it. One named like a file of O(org_dir)
        replaces it.
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
  triggers:
    description:
      - Triggers, each as M(genesys.cloud.trigger) takes it. One named like a file of O(org_dir) replaces it.
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
  datatables:
    description:
      - Architect data tables, each as M(genesys.cloud.datatable) takes it (V(name), V(description), V(key_title),
        V(properties), V(state), V(force), V(max_properties), V(max_tables)). One named like a file of
        C(datatables/) in O(org_dir) replaces it. A property removed, retyped or resized is refused in the preview.
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
  datatable_rows:
    description:
      - The rows of data tables, each as M(genesys.cloud.datatable_rows) takes it (V(datatable), V(rows) or V(src),
        V(purge), V(max_rows), V(concurrency), V(max_problems)); planned against the table as it is after the run and
        applied after it. One for a table that O(org_dir) has a rows file for replaces the directory's.
      - "In O(org_dir), C(datatable_rows/<table>.csv), C(.json) or C(.jsonl) holds a table's rows, and C(org.yml)'s
        C(datatable_rows) maps a table to its options (for example C(datatable_rows: {storeRouting: {purge: true}}))."
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
  allow_unsafe_type_changes:
    description:
      - Default of C(allow_unsafe_type_changes) for every schema that does not set it.
    type: bool
    default: false
  preview:
    description:
      - Write nothing, as in check mode, also without C(--check).
    type: bool
    default: false
  fail_on_changes:
    description:
      - Fail when the org differs from the definition (a change is planned, or one is refused). With check mode
        this is a drift check for scheduled jobs.
    type: bool
    default: false
  plan_json:
    description:
      - Write the plan (RV(plan)) as JSON to this path on the control node.
    type: path
  plan_markdown:
    description:
      - Write the plan as Markdown, ready to post on a pull request, to this path on the control node.
    type: path
  return_plan_markdown:
    description:
      - Return the plan as Markdown (RV(plan_markdown_text)), the text O(plan_markdown) writes, for a job artifact
        or a notification. The P(genesys.cloud.plan_markdown#filter) filter renders the same text from RV(plan),
        at the cost of handing the whole plan through a template.
    type: bool
    default: false
    version_added: 0.2.0
  fail_on_refused:
    description:
      - Fail a preview (check mode or O(preview)) when the plan refuses any change. An apply of such a plan always
        fails before any write.
    type: bool
    default: true
    version_added: 0.2.0
  fail_on_unmanaged:
    description:
      - Fail when the org holds schemas, webhooks, workitem schemas or triggers that O(org_dir) does not name, or stored records that no file
        names in a record set without C(purge) (RV(plan.unmanaged)); objects C(org.yml) ignores do not count.
    type: bool
    default: false
    version_added: 0.2.0
  delete_unmanaged:
    description:
      - Delete the schemas (with their records) and webhooks that O(org_dir) does not name, after the whole
        directory was read and checked. Each is listed in the plan with its record count. Never by default.
      - Objects C(org.yml) ignores are left alone; so are the unnamed records of a record set without C(purge)
        (set C(purge=true) on the set to delete them).
    type: bool
    default: false
    version_added: 0.2.0
  apply_plan:
    description:
      - Apply a plan saved by a preview, given as a path to the file O(plan_json) wrote, as the preview's RV(plan_artifact)
        text (what C(preview_org.yml) publishes with C(set_stats) for an AWX workflow), the plan itself as a
        dict, or a dict of those by inventory host (the preview's artifact for several orgs; this host's entry
        is used, and a host without one is refused).
      - The directory is read and the org is read again, planned again, and the plan compared with the saved one
        before any write. It is refused, naming the first difference, when the saved plan was edited by hand
        (its content no longer matches its digest) or has an unknown C(format); when it was made for another
        org; when the definition changed (content hash) or the org moved (schema versions, webhook
        C(dateModified), the record pages it read); when an option that shapes the plan differs
        (O(delete_unmanaged), O(allow_unsafe_type_changes)); or when any create, update or delete differs, value
        by value (a base file, a template value). Unchanged, exactly the saved plan is applied.
      - A saved plan larger than 64 MiB or nested deeper than 64 levels is refused, naming the line.
    type: raw
    version_added: 0.2.0
  return_plan_artifact:
    description:
      - Return the plan, sealed, as one line of text (RV(plan_artifact)) that O(apply_plan) takes, for a job
        artifact (C(set_stats)). The text is base64, so no template engine ever reads a value of the plan as a
        template when the artifact becomes a variable of the next job.
    type: bool
    default: false
    version_added: 0.3.0
attributes:
  check_mode:
    support: full
    description: Nothing is written; the result tells what would change (RV(summary), RV(plan)).
  diff_mode:
    support: full
    description: RV(diff) is the list of per-object diffs (schemas by field, a bounded sample of records, webhooks
      with header values and secrets masked). The records shown are at most 20 per outcome of a record set and 200
      for the whole run; past that a record set's diff is its counts (RV(plan) and the plan files list its keys).
  action:
    support: full
    description: Runs on the control node, with one client for the whole task.
notes:
  - In check mode, an object that depends on one this run would create is previewed as if it existed, and
    the records of a schema the run creates are all counted as creates; RV(summary.notes) says so.
  - Changes the planning refuses are listed in RV(summary.flags); they fail the task before anything is written,
    and fail a preview unless O(fail_on_refused=false).
  - O(plan_json) and O(plan_markdown) are checked before the first request; the plan files of an earlier run are
    removed first, so a failed run never leaves a stale plan behind.
  - The org is named by its name and id (C(GET /api/v2/organizations/me)). An C(organization) pin in C(org.yml)
    that the token's org does not match stops the run before any write.
seealso:
  - module: genesys.cloud.org_export
  - module: genesys.cloud.flex_schema
  - module: genesys.cloud.custom_object_records
  - module: genesys.cloud.webhook
requirements:
  - requests
  - jsonschema
"""

EXAMPLES = r"""
- name: Apply an org directory
  genesys.cloud.org:
    org_dir: orgs/acme
  register: acme

- name: Preview it and write the plan for the pull request
  genesys.cloud.org:
    org_dir: orgs/acme
    plan_json: "{{ playbook_dir }}/plan.json"
    plan_markdown: "{{ playbook_dir }}/plan.md"
  check_mode: true

- name: Nightly drift check, failing on objects made by hand too
  genesys.cloud.org:
    org_dir: orgs/acme
    fail_on_changes: true
    fail_on_unmanaged: true
  check_mode: true

- name: Apply the plan that was reviewed on the pull request
  genesys.cloud.org:
    org_dir: orgs/acme
    apply_plan: "{{ playbook_dir }}/plan.json"
"""

RETURN = r"""
summary:
  description: What the run changed (in check mode, would change).
  returned: unless the definition is invalid
  type: dict
  contains:
    counts:
      description: Per kind (C(schemas), C(records), C(webhooks), C(workitem_schemas), C(triggers), C(datatables),
        C(datatable_rows)), how many objects are created, updated, deleted.
      type: dict
      sample: {"schemas": {"create": 1, "update": 0, "delete": 0}}
    flags:
      description: Unsafe and refused changes, one line each.
      type: list
      elements: str
    notes:
      description: How a preview treated objects that depend on ones created in the same run.
      type: list
      elements: str
    unmanaged:
      description: One line per schema or webhook the org holds and the directory does not name, and per record
        set without C(purge) whose stored records no file names (how many, the first 20 by key).
      type: list
      elements: str
      version_added: 0.2.0
    lines:
      description: The counts, flags, notes and unmanaged objects as lines for a report.
      type: list
      elements: str
    changed:
      description: Whether anything changes.
      type: bool
plan:
  description:
    - The plan (what O(plan_json) writes), never with a value that may be secret (webhook headers and secrets).
  returned: unless the definition is invalid
  type: dict
  contains:
    format:
      description: The version of this document's format.
      type: int
    org:
      description: The org's name and id, C(name (id)) (its API host when the org could not be read).
      type: str
    api_host:
      description: The API host of the org.
      type: str
      version_added: 0.2.0
    organization:
      description: C(id) and C(name) of the org.
      type: dict
      version_added: 0.2.0
    inventory_host:
      description: The inventory host that ran the plan.
      type: str
      version_added: 0.2.0
    refused:
      description: Whether the plan refuses any change (then nothing is applied).
      type: bool
      version_added: 0.2.0
    unmanaged:
      description: Schemas, webhooks, workitem schemas (not soft-deleted ones) and triggers the org holds and the
        directory does not name (workitem schemas and triggers only when it defines one of their kind), each with C(kind), C(name),
        C(id) and, for schemas, C(records) (how many it holds); and per record set without C(purge) whose stored
        records no file names, C(kind=records), C(name) (the schema), C(records) (how many) and C(keys) (the
        first 20, by the set's key, an id only where a record holds no key value).
      type: list
      elements: dict
      version_added: 0.2.0
    ignored:
      description: The objects of the org that C(org.yml) ignores (C(kind), C(name)); the plan's notes count them.
      type: list
      elements: dict
    basis:
      description:
        - With O(plan_json) or O(apply_plan), what the plan was made from, for O(apply_plan) to check it.
        - C(organization_id), C(organization_name), C(definition) (sha256 of the definition), C(schemas) (name to
          version), C(webhooks) (name to C(dateModified)), C(records) (schema to digest of its record pages),
          C(workitem_schemas) (name to version), C(triggers) (name to the ids and versions of that name).
      type: dict
      version_added: 0.2.0
    saved:
      description:
        - With O(plan_json), O(return_plan_artifact) or O(apply_plan), what O(apply_plan) compares action by action.
        - C(options) (O(delete_unmanaged), O(allow_unsafe_type_changes) as the plan was made), C(actions) (every
          create, update and delete with C(kind), C(name), C(action) and C(values), a keyed digest of each value
          it writes, never the value) and C(salt) (the digests' key).
      type: dict
      version_added: 0.3.0
    digest:
      description: With RV(plan.saved), sha256 of the plan's content; O(apply_plan) refuses a plan edited by hand.
      type: str
      version_added: 0.3.0
    check_mode:
      description: Whether the run wrote nothing.
      type: bool
    changed:
      description: Whether anything changes.
      type: bool
    counts:
      description: As RV(summary.counts).
      type: dict
    flags:
      description: As RV(summary.flags).
      type: list
      elements: str
    notes:
      description: As RV(summary.notes).
      type: list
      elements: str
    changes:
      description:
        - One entry per object that changes or is refused, in the order they are applied, with C(kind), C(name),
          C(action) (C(create), C(update), C(delete), C(refused)), C(source) (its file) and C(details).
        - C(details) of a schema lists C(fields), each added, removed or changed field with C(before) and C(after),
          and C(type_changes); of a webhook, C(options), each changed option with C(before) and C(after) (header
          values and secrets as C(changed, value hidden)); of records, the counts, C(changed_records) (the changed
          fields of each changed record, before and after, the first 20 per schema, then C(more_changed_records))
          and up to 20 keys per action.
      type: list
      elements: dict
objects:
  description: One entry per object in the order of the run, with C(kind), C(name), C(direction), C(source),
    C(action) and C(result) (the result the object's module would return, without diff, metrics and audit).
    For an object that was planned but not written (check mode, O(preview), or nothing to change), C(result)
    keeps C(changed), C(action), C(id), C(version), the record counts (C(created), C(updated), C(deleted),
    C(unchanged), C(skipped)) and any C(failed), C(msg), C(problems) and C(warnings); what changes, field by
    field and key by key, is in RV(plan).
  returned: unless the definition is invalid
  type: list
  elements: dict
check_mode:
  description: Whether the run wrote nothing (check mode or O(preview)).
  returned: always
  type: bool
organization:
  description: The org the run read (C(id), C(name)), its API C(host) and the C(inventory_host) that ran it.
  returned: unless the definition is invalid
  type: dict
  version_added: 0.2.0
plan_markdown_text:
  description: The plan as Markdown, the text O(plan_markdown) writes.
  returned: with O(return_plan_markdown=true), unless the definition is invalid
  type: str
  version_added: 0.2.0
plan_artifact:
  description:
    - The sealed plan as one line of text (C(genesys-plan:) and base64 of compressed JSON) for O(apply_plan).
  returned: with O(return_plan_artifact=true), unless the definition is invalid
  type: str
  version_added: 0.3.0
plan_text:
  description: The plan as text, for a failed preview or drift check to show instead of this result; the task
    also prints it once, as text, under its name.
  returned: when a preview or drift check fails
  type: str
  version_added: 0.2.0
problems:
  description: Every problem of an invalid definition, each with its file.
  returned: when the definition is invalid
  type: list
  elements: str
diff:
  description: The per-object diffs.
  returned: with --diff, when something changes
  type: list
  elements: dict
metrics:
  description: What the one client of the run did; the same keys as in every module of the collection.
  returned: unless the definition is invalid
  type: dict
  contains:
    org:
      description: The org's API host.
      type: str
    org_id:
      description: The org's id.
      type: str
      version_added: 0.2.0
    org_name:
      description: The org's name.
      type: str
      version_added: 0.2.0
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
  description: One entry per write, as the resource modules return them.
  returned: unless the definition is invalid
  type: list
  elements: dict
  contains:
    time:
      description: When the change ended, RFC 3339 UTC.
      type: str
    org:
      description: The org's API host.
      type: str
    org_id:
      description: The org's id.
      type: str
      version_added: 0.2.0
    org_name:
      description: The org's name.
      type: str
      version_added: 0.2.0
    resource:
      description: C(flex_schema), C(custom_object_records) or C(webhook).
      type: str
    name:
      description: The schema's name.
      type: str
    id:
      description: The schema's id.
      type: str
    action:
      description: One of C(create), C(update) and C(delete).
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
      description: The correlation id of the server's answer.
      type: str
    error:
      description: The error code when the change failed.
      type: str
    version:
      description: For an update, the schema's version after it.
      type: int
"""
