# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org plan: read the org once (in parallel), plan every object from those reads into one value.

:func:`read_org` makes every read of a run: the org itself (``GET /api/v2/organizations/me``), then each
kind's list of stored objects, then what each kind's plans need besides (module_utils/kinds/: every kind
declares its reads). :func:`plan_org` then plans, without a request, each object with its kind's ``plan``:
the kinds of a lower ``plan_phase`` first (the kinds after them plan against what those plans will make),
each kind's objects in its dependency order. The result, an :class:`OrgPlan`, is what the preview shows,
what ``plan_json`` writes and what the apply (org_apply.py) applies; nothing is planned twice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, kind_of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_ignore

READ_WORKERS = 16
ORGANIZATION_PATH = "/api/v2/organizations/me"
# A refused object lists this many problems in the summary and the failure message; the plan has them all.
REFUSALS_SHOWN = 10


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
        return "%s %s" % (kind_of(self.kind).label, self.name)

    @property
    def refused(self):
        return bool(self.problems)

    @property
    def changed(self):
        return bool(self.plan is not None and not self.refused and self.plan.changed)

    @property
    def action(self):
        """``create``, ``update``, ``delete``, ``none`` or ``refused`` (as its kind says)."""
        if self.refused:
            return "refused"
        if self.plan is None:
            return "none"
        return kind_of(self.kind).step_action(self)


class OrgRead:
    """Everything a run read, once: what the plan is made from and what a saved plan is checked against.

    ``objects`` maps a kind to its stored objects; a kind keeps what else it read on attributes of its own."""

    def __init__(self):
        self.organization = None
        self.objects = dict((kind.name, []) for kind in KINDS)


def _ignore(org):
    return (org.get("settings") or {}).get("ignore") or {}


def _not_managed(org, kind, stored, ignored=True):
    """Stored objects of ``kind`` the definition does not name (``ignored``: also those org.yml ignores)."""
    managed = set(item.name.lower() for item in org[kind.name])
    return [found for found in stored if kind.object_name(found).lower() not in managed
            and (ignored or org_ignore.pattern_for(_ignore(org), kind.name, kind.object_name(found)) is None)]


def read_org(client, org, unmanaged=False, progress=None):
    """Every read of the run, in parallel: the org and every kind's list, then what each kind's plans need."""
    read = OrgRead()
    with ThreadPoolExecutor(max_workers=READ_WORKERS) as pool:
        me = pool.submit(lambda: client.get_or_none(ORGANIZATION_PATH))
        lists = [(kind, pool.submit(kind.read_objects, client)) for kind in KINDS if kind.reads(org)]
        for kind, future in lists:
            read.objects[kind.name] = future.result() or []
        read.organization = me.result()
        for kind in KINDS:
            kind.after_list(read)
        waits = [kind.submit_reads(client, pool, org, read, [
            kind.object_name(found) for found in _not_managed(org, kind, read.objects[kind.name], ignored=False)]
            if unmanaged and kind.ignorable else []) for kind in KINDS]
        for wait in waits:
            wait()
    # the kinds read on their own first, then those that belong to another (records of ...)
    notes = [note for note in (kind.read_note(read) for kind in sorted(KINDS, key=lambda kind: bool(kind.depends_on)))
             if note]
    if progress is not None and notes:
        progress("read %s" % (notes[0] if len(notes) == 1 else "%s and %s" % (", ".join(notes[:-1]), notes[-1])))
    return read


class OrgPlan:
    """One org run's plan: every step (in apply order) with its plan value, the problems of the
    definition, the objects the directory does not manage, and what it was planned against."""

    def __init__(self, org, read, options=None):
        self.org, self.read = org, read
        self.options = dict(options or {})  # the run options the kinds' plans take (``Kind.run_options``)
        self.steps = []
        self.problems = []
        self.unmanaged = []
        self.ignored = []  # objects not managed here that org.yml ignores on purpose
        self.report_unmanaged = False  # whether objects the definition does not name are listed
        self._first = None  # kind -> {name: first step}, and (kind, name, direction) -> first step

    def _index(self):
        if self._first is None:
            self._first = {}
            for step in self.steps:
                self._first.setdefault(step.kind, {}).setdefault(step.name, step)
                self._first.setdefault((step.kind, step.name, step.direction), step)
        return self._first

    def first_step(self, kind, name, direction):
        """The first step of ``kind`` for ``name`` in ``direction``; an index made once every step is there."""
        return self._index().get((kind, name, direction))

    def first_steps(self, kind):
        """``(name, first step)`` of every object of ``kind`` in the plan."""
        return self._index().get(kind, {}).items()

    @staticmethod
    def refusal_line(step):
        unsafe = kind_of(step.kind).unsafe(step)
        shown = [str(problem) for problem in step.problems[:REFUSALS_SHOWN]]
        if len(step.problems) > REFUSALS_SHOWN:
            shown.append("and %d more (the plan lists them)" % (len(step.problems) - REFUSALS_SHOWN))
        return "%s %s: %s" % ("UNSAFE" if unsafe else "REFUSED", kind_of(step.kind).refusal_label(step),
                              "; ".join(shown))

    def refusals(self):
        """Every problem that refuses the plan: of the definition, then of each step."""
        return list(self.problems) + [self.refusal_line(step) for step in self.steps if step.refused]

    @property
    def refused(self):
        return bool(self.problems) or any(step.refused for step in self.steps)

    def close(self):
        for step in self.steps:
            close = getattr(step.plan, "close", None)
            if close is not None:
                close()


def plan_org(org, read, options=None, unmanaged=None, delete_unmanaged=False):
    """Plan every object of ``org`` (checked by org_directory) from ``read``; no request. ``options``: the run
    options the kinds take (``Kind.run_options``)."""
    plan = OrgPlan(org, read, options)
    plan.problems = reference_problems(org, read)
    add = plan.steps.append
    for kind in KINDS:
        for item in kind.apply_items(org):
            if not item.absent:
                add(Step(kind.name, item.name, "apply", item))
    for kind in reversed(KINDS):
        for item in kind.removal_items(org):
            if item.absent:
                add(Step(kind.name, item.name, "remove", item))
    plan.report_unmanaged = bool(unmanaged)
    plan.problems += org_ignore.managed_problems(_ignore(org), org)
    for found in unmanaged_objects(org, read) if unmanaged else []:
        ignored = org_ignore.pattern_for(_ignore(org), found["kind"], found["name"]) is not None
        (plan.ignored if ignored else plan.unmanaged).append(found)
    if delete_unmanaged:
        for found in plan.unmanaged:
            add(Step(found["kind"], found["name"], "remove", where="(not managed here)"))
    for kind in KINDS:
        kind.start_plan(plan)
    for phase in sorted(set(kind.plan_phase for kind in KINDS)):
        for step in plan.steps:
            kind = kind_of(step.kind)
            if kind.plan_phase == phase:
                kind.plan_step(plan, step)
    if unmanaged:
        for kind in KINDS:
            plan.unmanaged += kind.unmanaged_after_plan(plan)
    return plan


def reference_problems(org, read):
    """What one kind's items name of another that neither the definition nor the org has."""
    return [problem for kind in KINDS for problem in kind.reference_problems(org, read)]


def unmanaged_objects(org, read):
    """Objects of the kinds that list theirs, that the org holds and the definition does not name."""
    found = []
    for kind in KINDS:
        if kind.ignorable:
            found += [kind.unmanaged_entry(stored, read) for stored in sorted(
                _not_managed(org, kind, read.objects[kind.name]), key=kind.object_name)]
    return found
