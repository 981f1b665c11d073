# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the plans of the kinds whose stored objects carry an ``id`` and a ``version`` share (triggers,
workitem schemas): the plan's state, what it predicts the server will hold, its diff and its task result.

A kind's plan subclasses :class:`VersionedPlan`, naming its ``kind``, the key of its task result
(``result_key``), how a stored object reads in the user's shape (``to_user``) and what its ``changes`` are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.diffing import make_diff


def without_ids(user):
    """A user-shaped object without the server's ``id`` and ``version`` (what a diff shows)."""
    return dict((k, v) for k, v in user.items() if k not in ("id", "version")) if user else None


class VersionedPlan:
    """What one task does: ``action`` (create, update, delete, none, or a kind's own such as replace),
    ``before`` and ``after`` in the user's shape, the ``version`` it was planned against, the stored object
    (``current``) and the task's own change (``delta``), which apply re-applies after a conflict."""

    kind = None        # the kind of the changes the apply records
    result_key = None  # the key of the task result that holds the object

    def __init__(self, name, action, current=None, after=None, delta=None):
        self.name, self.action, self.current, self.after, self.delta = name, action, current, after, delta
        self.before = self.to_user(current) if current else None

    @staticmethod
    def to_user(stored):
        """A stored object in the user's shape."""
        raise NotImplementedError

    def changes(self):
        """What the task changes, as its result says."""
        raise NotImplementedError

    @property
    def version(self):
        return (self.current or {}).get("version")

    @property
    def id(self):
        return (self.current or {}).get("id")

    @property
    def changed(self):
        return self.action != "none"

    def predicted(self):
        """The object as the server will hold it after the task: an update keeps its id and counts its version
        up, anything else written is a new object (version 1)."""
        if self.action == "delete":
            return {}
        if self.action == "none":
            return self.before
        if self.action == "update":
            return dict(self.after, id=self.id, version=(self.version or 0) + 1)
        return dict(self.after, id=None, version=1)

    def diff(self):
        return make_diff(without_ids(self.before), None if self.action == "delete" else without_ids(self.after))

    def result(self, diff, stored=None):
        """The task result; ``stored`` is the object the server answered (None: as planned)."""
        shown = self.predicted() if stored is None else (self.to_user(stored) if stored else {})
        result = {"changed": self.changed, "action": self.action, self.result_key: shown, "changes": self.changes()}
        if diff and self.changed:
            result["diff"] = self.diff()
        return result
