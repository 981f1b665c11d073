# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: audit
type: aggregate
short_description: Audit trail of every change the genesys.cloud modules make
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Reads the C(audit) and C(metrics) keys that every module of the collection returns.
  - Appends one JSON line per change (create, update, delete, ...) to a log file. Each line says when,
    which org, which resource and id or name, the action, its outcome, latency, request count and
    correlation id, plus the playbook, play, task and host it came from. Entries never hold a secret.
  - At the end of the playbook it prints a summary per org (named by its name and id, and the inventory host,
    when the task read the org, as M(genesys.cloud.org) does; else by API host), what was created, updated and deleted,
    and how many requests, retries, 429 answers and seconds the modules used; with a pool of tokens
    (O(genesys.cloud.org#module:token_pool_size)), the requests and 429 answers of each token.
  - Only changes made with the play's modules are logged; check-mode runs send no writes and log nothing.
requirements:
  - Enable it with C(callbacks_enabled = genesys.cloud.audit) in the C([defaults]) section of
    C(ansible.cfg), or with E(ANSIBLE_CALLBACKS_ENABLED=genesys.cloud.audit).
options:
  log_file:
    description:
      - The file that receives one JSON object per line for each change. Appended to, never truncated;
        its directory is created when missing.
    type: path
    default: ~/.ansible/genesys_cloud_audit.jsonl
    env:
      - name: GENESYSCLOUD_AUDIT_LOG
    ini:
      - section: genesys_cloud_audit
        key: log_file
  trace_file:
    description:
      - A file that receives the request trace of every genesys.cloud task, lookup and org run of the playbook
        (one line per request, as C(-vvv) shows it, prefixed with the time and host), whatever the verbosity.
      - Lines never hold a body, a header value, a token or a secret; record keys only at C(-vvvv).
      - Created C(0600) when missing, appended to otherwise. Unset (the default), no trace is written.
    type: path
    env:
      - name: GENESYSCLOUD_AUDIT_TRACE_FILE
    ini:
      - section: genesys_cloud_audit
        key: trace_file
    version_added: 0.2.0
  summary:
    description:
      - Whether to print the per-org summary at the end of the playbook.
    type: bool
    default: true
    env:
      - name: GENESYSCLOUD_AUDIT_SUMMARY
    ini:
      - section: genesys_cloud_audit
        key: summary
"""

import json
import os

from ansible.plugins.callback import CallbackBase

try:
    from ansible_collections.genesys.cloud.plugins.module_utils.regions import api_host, resolve_base_urls
except ImportError:  # pragma: no cover - only when the collection is not installed as a collection
    api_host = resolve_base_urls = None

# What plugin_utils/task_connection.py reads (TRACE_FILE_ENV there); kept literal so this callback loads alone.
TRACE_FILE_ENV = "GENESYSCLOUD_TRACE_FILE"

ACTION_KINDS = (
    ("created", ("create", "created", "insert")),
    ("updated", ("update", "updated", "upsert", "replace", "modify")),
    ("deleted", ("delete", "deleted", "remove", "removed", "purge")),
)
UNKNOWN_ORG = "(unknown org)"


def action_kind(action):
    """``created``/``updated``/``deleted`` for the usual action names, else the action itself."""
    for kind, names in ACTION_KINDS:
        if action in names:
            return kind
    return action or "other"


def record_counts(entry):
    """``{kind: n}`` from an entry that counts what a batch did (``created``/``updated``/``deleted``), else None.

    A records batch is one ``upsert`` entry that may create some records and update others: it is
    counted by its numbers, not by its action name.
    """
    numbers = dict((kind, entry.get(kind)) for kind, dummy in ACTION_KINDS if isinstance(entry.get(kind), int)
                   and not isinstance(entry.get(kind), bool))
    if not numbers:
        return None
    return dict((kind, number) for kind, number in numbers.items() if number)


def org_of(item, host=None):
    """The org a module result belongs to: by its name and id when the result names it (an org run reads
    GET /api/v2/organizations/me; many orgs share one API host), with the inventory host that ran it; else
    by API host, from its metrics or audit entries or its connection options."""
    metrics = item.get("metrics") or {}
    if metrics.get("org_id"):
        return "%s (%s) at %s%s" % (metrics.get("org_name") or "unnamed org", metrics["org_id"],
                                    metrics.get("org") or UNKNOWN_ORG, ", inventory host %s" % host if host else "")
    if (item.get("metrics") or {}).get("org"):
        return item["metrics"]["org"]
    for entry in item.get("audit") or []:
        if isinstance(entry, dict) and entry.get("org"):
            return entry["org"]
    args = (item.get("invocation") or {}).get("module_args") or {}
    if resolve_base_urls is not None and (args.get("api_url") or args.get("region")):
        try:
            return api_host(resolve_base_urls(args.get("region"), args.get("api_url"), args.get("auth_url"))[0])
        except Exception:  # pylint: disable=broad-except
            return UNKNOWN_ORG
    return UNKNOWN_ORG


def module_results(result):
    """The collection's module results inside one task result (one per loop item)."""
    items = result.get("results") if isinstance(result.get("results"), list) else [result]
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("metrics"), dict) and isinstance(item.get("audit"), list):
            yield item


class OrgTotals:
    """What the play did to one org."""

    def __init__(self):
        self.changes = {}   # kind -> ["resource name", ...]
        self.counts = {}    # kind -> how many objects (a records batch counts each record)
        self.failed = []
        self.requests = 0
        self.retries = 0
        self.rate_limited = 0
        self.seconds = 0.0
        self.tokens = {}    # token number -> [requests, 429s], from the metrics of a pool's tasks

    def add_metrics(self, metrics):
        self.requests += int(metrics.get("requests") or 0)
        self.retries += int(metrics.get("retries") or 0)
        self.rate_limited += int(metrics.get("rate_limited") or 0)
        self.seconds += float(metrics.get("seconds") or 0.0)
        for item in metrics.get("tokens") or []:
            if isinstance(item, dict) and isinstance(item.get("token"), int):
                counts = self.tokens.setdefault(item["token"], [0, 0])
                counts[0] += int(item.get("requests") or 0)
                counts[1] += int(item.get("rate_limited") or 0)

    def add_entry(self, entry):
        label = " ".join(str(part) for part in (entry.get("resource"), entry.get("name") or entry.get("id")) if part)
        if entry.get("outcome", "success") != "success":
            self.failed.append("%s %s" % (entry.get("action"), label))
            return
        counted = record_counts(entry)
        if counted is None:
            counted = {action_kind(entry.get("action")): 1}
        for kind, number in counted.items():
            self.counts[kind] = self.counts.get(kind, 0) + number
            self.changes.setdefault(kind, []).append(label if number == 1 and entry.get("size") is None
                                                     else "%s (%d)" % (label, number))

    def lines(self, org):
        counts = ", ".join("%d %s" % (self.counts.get(kind, 0), kind) for kind, dummy in ACTION_KINDS)
        yield "%s: %s, %d failed; %d requests, %d retries, %s%.1f s" % (
            org, counts, len(self.failed), self.requests, self.retries,
            "%d rate-limited (429), " % self.rate_limited if self.rate_limited else "", self.seconds)
        if self.tokens:
            yield "  per token: %s" % "; ".join("token %d: %d requests, %d rate-limited" % (
                number, counts[0], counts[1]) for number, counts in sorted(self.tokens.items()))
        known = [kind for kind, dummy in ACTION_KINDS]
        for kind in known + sorted(k for k in self.changes if k not in known):
            if self.changes.get(kind):
                yield "  %s: %s" % (kind, ", ".join(self.changes[kind]))
        if self.failed:
            yield "  failed: %s" % ", ".join(self.failed)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "genesys.cloud.audit"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self.orgs = {}
        self.entries_written = 0
        self.write_failed = False
        self.playbook = None
        self.play = None

    def v2_playbook_on_start(self, playbook):
        self.playbook = os.path.basename(getattr(playbook, "_file_name", "") or "") or None
        trace_file = self.get_option("trace_file")
        if trace_file:
            # The task workers write the lines (they see each request); they are forked from this
            # process after this point, so they inherit where to write.
            os.environ[TRACE_FILE_ENV] = os.path.abspath(os.path.expanduser(trace_file))

    def v2_playbook_on_play_start(self, play):
        self.play = play.get_name()

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._collect(result)

    def _collect(self, result):
        context = dict(playbook=self.playbook, play=self.play,
                       task=result._task.get_name(), host=result._host.get_name())
        for item in module_results(result._result):
            org = org_of(item, context["host"])
            totals = self.orgs.setdefault(org, OrgTotals())
            totals.add_metrics(item["metrics"])
            for entry in item["audit"]:
                if isinstance(entry, dict):
                    totals.add_entry(entry)
                    self._append(dict(entry, ansible=context))

    def _append(self, line):
        if self.write_failed:
            return
        path = os.path.expanduser(self.get_option("log_file"))
        try:
            directory = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(directory):
                os.makedirs(directory)
            with open(path, "a") as handle:
                handle.write(json.dumps(line, sort_keys=True, default=str) + "\n")
            self.entries_written += 1
        except (IOError, OSError) as exc:
            self.write_failed = True
            self._display.warning("genesys.cloud.audit cannot write its log file %s: %s" % (path, exc))

    def v2_playbook_on_stats(self, stats):
        if not self.get_option("summary") or not self.orgs:
            return
        self._display.banner("GENESYS CLOUD AUDIT")
        for org in sorted(self.orgs):
            for line in self.orgs[org].lines(org):
                self._display.display(line)
        if self.entries_written:
            self._display.display("%d change(s) appended to %s" % (
                self.entries_written, os.path.expanduser(self.get_option("log_file"))))
