# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The actions of an org plan, value by value, as digests: what a saved plan promises and an apply keeps.

A saved plan lists every create, update and delete it makes with a digest of each value it writes
(a schema's fields and top-level options, a webhook's options and the secret it sends, every record
it creates, updates or deletes) and the options that shaped it (``delete_unmanaged``,
``allow_unsafe_type_changes``). An apply of that plan plans again from what it reads and compares the
two lists: the first difference refuses the apply, named, before any write.

Digests are HMAC-SHA256 keyed with a random salt that the plan carries, so a value (a webhook
secret, a header) is never in the plan, not even as a plain hash that a dictionary could reverse.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import json
import os

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, kind_of

# the run options that change what a plan does: the run's own, then the kinds' (``Kind.run_options``)
SHAPING_OPTIONS = ("delete_unmanaged",) + tuple(name for kind in KINDS for name in kind.run_options)
CHANGE_KINDS = dict((kind.change_kind, kind) for kind in KINDS)


def new_salt():
    return hashlib.sha256(os.urandom(32)).hexdigest()[:32]


class Digester:
    """Keyed digests of JSON values (canonical: sorted keys, no spaces)."""

    def __init__(self, salt):
        self.key = salt.encode("utf-8")

    def __call__(self, value):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def stream(self):
        return hmac.new(self.key, b"", hashlib.sha256)


def shaping_options(params, unmanaged):
    """The run options that change what a plan does, as the plan records them."""
    options = dict((name, bool(params.get(name))) for name in SHAPING_OPTIONS)
    options["delete_unmanaged"] = bool(params.get("delete_unmanaged") and unmanaged)
    return options


def plan_actions(plan, salt):
    """Every changing step of ``plan`` (an OrgPlan), in apply order, with the digests of its values."""
    digest = Digester(salt)
    actions = []
    for step in plan.steps:
        if step.refused or step.plan is None or not step.changed:
            continue
        kind = kind_of(step.kind)
        actions.append(dict(kind=kind.change_kind, name=step.name, action=step.action,
                            values=kind.saved_values(step, digest)))
    return actions


def _label(action):
    kind = CHANGE_KINDS.get(action["kind"])
    return "%s %s" % (kind.of_label if kind is not None else action["kind"], action["name"])


def _doing(action):
    return "%ss %s" % (action["action"], _label(action))


def first_difference(saved_options, saved_actions, options, actions):
    """The first way this run's plan differs from the saved one, as a sentence; None when they are equal."""
    for name in SHAPING_OPTIONS:
        if (saved_options or {}).get(name) != options.get(name):
            return ("the option %s is %s in this run, the plan was made with %s" % (
                name, str(options.get(name)).lower(), str((saved_options or {}).get(name)).lower()))
    by_key = dict(((a.get("kind"), a.get("name")), a) for a in actions)
    saved_keys = set()
    for saved in saved_actions:
        key = (saved.get("kind"), saved.get("name"))
        saved_keys.add(key)
        now = by_key.get(key)
        if now is None:
            return "the saved plan %s; this run would not" % _doing(saved)
        if now["action"] != saved.get("action"):
            return "the saved plan %s; this run %s instead" % (_doing(saved), _doing(now).split(" ", 1)[0])
        difference = _value_difference(saved.get("values") or {}, now["values"])
        if difference:
            return "%s: %s" % (_label(now), difference)
    for action in actions:
        if (action["kind"], action["name"]) not in saved_keys:
            return "this run %s, which the saved plan does not" % _doing(action)
    if len(saved_actions) != len(actions):
        return "the saved plan lists %d actions, this run %d" % (len(saved_actions), len(actions))
    return None


def _value_difference(saved, now):
    for name in sorted(set(saved) | set(now)):
        if name not in now:
            return "the saved plan has %s, this run does not" % name
        if name not in saved:
            return "this run has %s, which the saved plan does not" % name
        if saved[name] != now[name]:
            return "%s differs from the saved plan" % name
    return None
