# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the org run knows of a resource kind: one :class:`Kind` per kind package, listed in registry.py.

The org machinery (plugins/plugin_utils/org_*.py) names no kind: it loads, reads, plans, applies,
reports, saves and exports by iterating over ``registry.KINDS`` and calling what a kind declares here.
A kind is a subclass that sets the names and overrides the hooks its objects need; the defaults fit an
object that is one YAML file, read as one list of the org, planned and applied on its own.
:class:`ModuleKind` adds what a kind shares whose module plans and applies its objects itself.

The objects the hooks receive are the org run's (plugin_utils/org_plan.py): ``item`` (``kind``, ``where``,
``data``, ``params``, ``name``, ``absent``), ``step`` (``kind``, ``name``, ``direction``, ``item``, ``plan``,
``problems``, ``applied``) and ``plan`` (``org``, ``read``, ``steps``, ``options``, ``first_step``,
``first_steps``); nothing here imports plugin_utils, so the module_utils import rules hold.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import json

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import canonical, ordered, yaml_text

try:
    import yaml
except ImportError:  # pragma: no cover - only the controller writes YAML (export, overlays); modules never do
    yaml = None

YAML_SUFFIXES = (".yml", ".yaml")
STREAM_SUFFIXES = (".json", ".jsonl", ".csv")
ACTIONS = ("create", "update", "delete")
PREFIX = 80


def shorten(value, limit=PREFIX):
    """``value`` as text cut to ``limit`` characters, saying how long it was."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return "%s... (%d characters in all)" % (text[:limit], len(text))


def short(value):
    """A value of a plan's details as at most 60 characters of text."""
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(key, allowed):
    close = difflib.get_close_matches(str(key), list(allowed), n=1)
    return " (did you mean %s?)" % close[0] if close else ""


class Kind:
    """A resource kind of an org directory. Class attributes name it; methods are the hooks."""

    name = None           # the key of the kind everywhere: folder, variable, plan counts, ignore, saved basis
    noun = None           # one object, in messages ("schema")
    change_kind = None    # the ``kind`` of a change in the plan document and in the saved actions
    label = None          # what a step's label starts with ("schema" in "schema contacts")
    of_label = None       # what a saved plan's messages call an object ("the records of" ...)
    module = None         # the module whose options an item is checked against
    arguments = None      # that module's ARGUMENTS
    name_key = "name"     # the item key that holds the object's name
    not_in_an_org = ()    # module options an item of a whole-org run may not set
    suffixes = YAML_SUFFIXES  # the file extensions of the kind's folder
    file_limits = {}      # file kind -> (bytes, how a message names that file[, what a message over it adds])
    secret_fields = None  # the fields of an item a vaulted value may fill, as a message names them
    ignorable = False     # ``ignore:`` of org.yml may name the kind; objects it does not manage are listed
    ignore_example = None  # a name pattern the messages about ``ignore:`` show
    plan_phase = 1        # kinds of a lower phase are planned first (others plan against their plans)
    basis_what = "version"  # what a saved plan's basis says changed for one object
    basis_digests = False   # whether the basis holds digests (messages show their first characters)
    example = None        # the file pattern an empty directory's message names
    settings_key = None   # the key of org.yml that holds the kind's own settings, if any
    depends_on = ()       # the kinds whose objects this kind's objects belong to (records: their schema)
    run_options = {}      # options of genesys.cloud.org the kind's plans take (name -> argument spec), in plan.options

    # -- directory ----------------------------------------------------------------------------------------
    def file_kind(self, path):
        """The ``file_limits`` key of one of the kind's files."""
        return self.name

    def streamed(self, path):
        """Whether a file of the folder is read later, record by record, rather than parsed now."""
        return False

    def stream_data(self, path, stem):
        """The item data of a file that is ``streamed`` (read later by the kind's own logic)."""
        return {"src": path, self.name_key: stem}

    def file_data(self, path, data, stem):
        """``(data, problems)`` of one parsed file: the item's data, or what is wrong with it."""
        if not isinstance(data, dict):
            return None, ["%s: must hold one mapping (a %s definition)" % (path, self.noun)]
        data.setdefault(self.name_key, stem)
        return data, []

    def merge_settings(self, data, settings):
        """Options of ``org.yml`` that an item of the kind takes (default: none)."""
        return data

    def item_problems(self, params):
        """The resource-level problems of an item's checked options (beyond the argument spec)."""
        return []

    def settings_problems(self, path, value):
        """Problems of the kind's ``settings_key`` in one ``org.yml``."""
        return []

    def directory_problems(self, directory, loaded, settings):
        """Problems between the items of a loaded directory (names spelt differently, say)."""
        return []

    def variable_problems(self, item, log):
        """Problems of a checked item given as a variable (not read from a file of the directory)."""
        return []

    def ordered(self, items):
        """``(items, problems)``: the kind's items in apply order."""
        return list(items), []

    # -- order ---------------------------------------------------------------------------------------
    def levels(self, org):
        """A function from an object name to its dependency level (lower levels apply first)."""
        return lambda name: 0

    def apply_items(self, org):
        return list(org[self.name])

    def removal_items(self, org):
        return list(reversed(self.apply_items(org)))

    # -- read ----------------------------------------------------------------------------------------
    def read_objects(self, client):
        """The list of the kind's stored objects (None: the kind has no list of its own)."""
        return None

    def reads(self, org):
        """Whether the run reads the kind's list for ``org`` (False: the definition leaves the kind alone, so
        its objects are neither read nor reported, and the client needs none of its scopes)."""
        return True

    def object_name(self, stored):
        return stored.get("name") or ""

    def after_list(self, read):
        """Derive what other reads need from the lists (no request)."""

    def submit_reads(self, client, pool, org, read, unmanaged):
        """Start the reads that depend on the lists; returns a function that waits and stores them."""
        return lambda: None

    def read_note(self, read):
        return None

    def reference_problems(self, org, read):
        return []

    # -- plan ----------------------------------------------------------------------------------------
    def start_plan(self, plan):
        """Prepare what this kind's plans share (a planning catalog, say)."""

    def plan_step(self, plan, step):
        raise NotImplementedError

    def step_action(self, step):
        return step.plan.action

    def refusal_label(self, step):
        return step.label

    def unsafe(self, step):
        """Whether a refused step is refused as unsafe (a run option would allow it) rather than as wrong."""
        return False

    def unmanaged_entry(self, stored, read):
        return dict(kind=self.name, name=stored.get("name"), id=stored.get("id"))

    def unmanaged_after_plan(self, plan):
        return []

    def unmanaged_text(self, found):
        held = " (%d records)" % found["records"] if found.get("records") is not None else ""
        return "%s %s%s" % (self.noun, found["name"], held)

    # -- apply ---------------------------------------------------------------------------------------
    def start_apply(self, plan):
        """What this kind's applies share (a live catalog, say)."""
        return None

    def apply_step(self, client, trail, step, shared, diff):
        raise NotImplementedError

    def describe(self, result):
        return "changed" if result.get("changed") else "unchanged"

    # -- report --------------------------------------------------------------------------------------
    def flags(self, step):
        return []

    def counted(self, step, applied):
        """``{action: n}`` of one step for the summary, as planned or as applied."""
        if applied:
            action = step.action if step.applied.get("changed") else "none"
        else:
            action = step.action
        return {action: 1} if action in ACTIONS else {}

    def summary_note(self, plan, steps, check_mode):
        """One line about the counted ``steps`` of the kind (None: nothing to note)."""
        return None

    def step_result(self, plan, step, diff, budget):
        return step.plan.result(diff)

    def details(self, plan, step):
        return {}

    def detail_text(self, key, value):
        """One entry of a change's details (as :meth:`details` makes them) as text, or None: not this kind's."""
        return None

    # -- export --------------------------------------------------------------------------------------
    export_filtered = False  # ``include`` / ``exclude`` of the export name the kind (patterns select its objects)
    export_masks = False  # whether export_private / export_masked apply to the kind's files

    export_option = None  # the option of genesys.cloud.org_export named as the kind, if any (its argument spec)

    def export_option_value(self, value):
        """The kind's export option as the scope holds it; raises ValueError naming what is wrong."""
        return value

    def export_option_problems(self, scope, state):
        """Problems of the kind's export option against what is exported (a pattern that names nothing)."""
        return []

    def export_covers(self, scope, name, exported):
        """Whether a file of the kind for ``name`` is the export's business this time (exported, or selected and
        gone from the org); ``exported``: lower-case names of the exported objects other kinds depend on."""
        return scope.selects(self.name, name)

    def export_read(self, client):
        """The kind's stored objects as its _info module returns them (None: read after the others)."""
        return None

    def export_select(self, scope, objects):
        """``(chosen, pulled_in, warnings)``: the objects the export's patterns select."""
        return [item for item in objects if scope.selects(self.name, item["name"])], {}, []

    def export_reads(self, client, pool, scope, state):
        """Start the reads that need the other kinds' selection; a function that waits and fills ``state``."""
        return lambda: None

    def export_text(self, item, with_headers):
        """The text of one object's file."""
        raise NotImplementedError

    def export_meaning(self, data, stem, with_headers):
        """What applying one file of the kind does, comparable (None: not a readable definition)."""
        raise NotImplementedError

    def export_keys(self, with_headers):
        """The keys of a file that the export writes (the others a file holds stay)."""
        raise NotImplementedError

    def export_plan(self, plan, state, context):
        """Add the kind's exported objects to ``plan`` (an export plan): each into the file that already defines
        it, left alone when it means the same (``context``: ``with_headers``, ``base``, ``settings``, ``tools``)."""
        with_headers, base = context["with_headers"], context["base"]
        bases = (base.items if base is not None else {}).get(self.name) or {}
        plan.reserve(self.name, state[self.name])
        for item in state[self.name]:
            plan.definition(self.name, item["name"], self.export_text(item, with_headers),
                            lambda data, stem: self.export_meaning(data, stem, with_headers),
                            self.export_keys(with_headers), bases.get(item["name"].lower()))

    def export_gone(self, plan, relative, item, tools):
        """Remove, in the overlay's merge, an object the base defines (its file ``relative``) that the org no
        longer has: a ``state: absent`` file of the same name."""
        plan.add(relative, self.name, item.name, "---\n" + yaml.safe_dump(
            {self.name_key: item.name, "state": "absent"}, sort_keys=False))

    def export_plain(self, items):
        """The text of a file of a kind ``named_by_stem``, from the objects it holds."""
        raise NotImplementedError

    def export_settings_text(self, text, plan, base_settings, settings, parse):
        """The destination's ``org.yml`` text with what the kind adds to it (``text``: None when there is none;
        ``parse``: the export's safe YAML reader)."""
        return text

    def export_count(self, value):
        """How many objects ``state[name]`` holds (the export's ``counts``)."""
        return len(value)
    named_by_stem = False  # an object's file is named by it exactly (any of ``suffixes``), no ``name:`` inside

    def export_private(self, data):
        """Whether an exported file's content (parsed) is for its owner only (written 0600)."""
        return False

    def export_masked(self, data):
        """An exported file's content (parsed) as a diff may show it."""
        return data

    # -- saved plans ---------------------------------------------------------------------------------
    def saved_values(self, step, digest):
        return {}

    def basis(self, read):
        """``{name: text}`` a saved plan is checked against (None: the kind adds nothing)."""
        return None


class ModuleKind(Kind):
    """A kind whose module plans and applies one object at a time: the plan's ``result(diff, stored)`` is the
    step's result; the run reads the kind's list only when the definition has items of it; ``exporter`` says
    what its files hold."""

    exporter = None  # the kind's export module: EXPORT_KEYS, document(item) and meaning(data, stem)

    @staticmethod
    def apply_plan(client, trail, plan):
        """Send the plan's write; the object the server answered (the module's own apply)."""
        raise NotImplementedError

    def reads(self, org):
        """Only a definition with a file (or variable item) of the kind reads its list: an org that does not use
        the kind needs none of its scopes."""
        return bool(org[self.name])

    def apply_step(self, client, trail, step, shared, diff):
        return step.plan.result(diff, self.apply_plan(client, trail, step.plan))

    def export_text(self, item, with_headers):
        """The file of one object: ``exporter.document(item)`` (a new mapping), its ``EXPORT_KEYS`` first and
        an empty description left out."""
        document = self.exporter.document(item)
        if not document.get("description"):
            document.pop("description", None)
        return yaml_text(ordered(document, self.exporter.EXPORT_KEYS))

    def export_meaning(self, data, stem, with_headers):
        """``exporter.meaning`` of a file's mapping, comparable (None: not a mapping, or a value of the wrong
        type, which is no definition of the kind)."""
        if not isinstance(data, dict):
            return None
        try:
            return canonical(self.exporter.meaning(data, stem))
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def export_keys(self, with_headers):
        return self.exporter.EXPORT_KEYS
