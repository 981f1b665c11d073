# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection's lookups share: the modules' connection options, one read-only client per call.

The client comes from plugin_utils/session.py: options are checked as the modules check them, and
the token is the one the run's other genesys.cloud tasks share.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.lookup import LookupBase

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import lookup_client
from ansible_collections.genesys.cloud.plugins.plugin_utils.task_connection import trace_sink


# Keywords Ansible itself may hand a lookup; never reported as unknown.
IGNORED = frozenset(("wantlist", "errors", "allow_unsafe"))


def _suggestion(name, known):
    shown = name if len(name) <= 40 else name[:40] + "..."
    close = difflib.get_close_matches(name, [option for option in known if not option.startswith("_")], 1, 0.6)
    return "%s (did you mean %s?)" % (shown, close[0]) if close else shown


class GenesysCloudLookup(LookupBase):
    """A lookup that reads one org: subclasses implement ``read(client, terms)``.

    The client is read-only: a write would raise before it is sent. All pages of one call go
    through the same client (one rate-limit pacer), with the run's shared token.
    """

    NAME = None

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        unknown = sorted(set(kwargs) - set(self._options) - IGNORED)
        if unknown:
            raise AnsibleLookupError("%s lookup: unknown option(s) %s. %s" % (
                self.NAME, ", ".join(_suggestion(name, self._options) for name in unknown),
                "Its options are: %s." % ", ".join(sorted(name for name in self._options if not name.startswith("_")))))
        if not HAS_REQUESTS:
            raise AnsibleLookupError(missing_required_lib("requests"))
        try:
            client = lookup_client(kwargs)
            client.trace = trace_sink(variables, (variables or {}).get("inventory_hostname") or "localhost")
            return self.read(client, list(terms))
        except GenesysCloudError as exc:
            raise AnsibleLookupError("%s lookup: %s" % (self.NAME, exc))

    def read(self, client, terms):
        raise NotImplementedError
