# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every kind the org run manages, one line each, in dependency order: a kind applies after the kinds before it
and is removed before them. Adding a kind is its package (descriptor.py's ``Kind``) and one line here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.kind import KIND as DATATABLE
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable_rows.kind import KIND as DATATABLE_ROWS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.flex_schema.kind import KIND as FLEX_SCHEMA
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records.kind import KIND as RECORDS
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.trigger.kind import KIND as TRIGGER
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.webhook.kind import KIND as WEBHOOK
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.workitem_schema.kind import KIND as WORKITEM_SCHEMA

KINDS = (
    FLEX_SCHEMA,
    RECORDS,
    WEBHOOK,
    WORKITEM_SCHEMA,
    TRIGGER,
    DATATABLE,
    DATATABLE_ROWS,
)
BY_NAME = dict((kind.name, kind) for kind in KINDS)
NAMES = tuple(kind.name for kind in KINDS)


def kind_of(name):
    """The kind whose ``name`` (its folder, variable and plan key) is ``name``."""
    return BY_NAME[name]
