# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection's lookups share: the modules' connection options, one read-only client per call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.lookup import LookupBase

from ansible_collections.genesys.cloud.plugins.module_utils.arguments import client_settings, connection_argument_spec
from ansible_collections.genesys.cloud.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.transport import HAS_REQUESTS


def connection_settings(given):
    """GenesysCloudClient's keyword arguments from the options a lookup was called with.

    The options go through the modules' own argument spec, so the environment fallbacks, the
    defaults, the region choices and the types are exactly the modules'.
    """
    spec = connection_argument_spec()
    params = dict((name, given[name]) for name in spec if given.get(name) is not None)
    result = ArgumentSpecValidator(spec).validate(params)
    if result.error_messages:
        raise AnsibleLookupError("invalid connection options: %s" % "; ".join(result.error_messages))
    return client_settings(result.validated_parameters)


class GenesysCloudLookup(LookupBase):
    """A lookup that reads one org: subclasses implement ``read(client, terms)``.

    The client is read-only: a write would raise before it is sent. All pages of one call go
    through the same client (one token, one rate-limit pacer).
    """

    NAME = None

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if not HAS_REQUESTS:
            raise AnsibleLookupError(missing_required_lib("requests"))
        try:
            client = GenesysCloudClient(read_only=True, **connection_settings(kwargs))
            return self.read(client, list(terms))
        except GenesysCloudError as exc:
            raise AnsibleLookupError("%s lookup: %s" % (self.NAME, exc))

    def read(self, client, terms):
        raise NotImplementedError
