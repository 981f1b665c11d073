# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: flex_schema
short_description: Read Genesys Cloud flex schemas inside templates and conditionals
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Returns flex schemas in the shape M(genesys.cloud.flex_schema_info) returns them in RV(genesys.cloud.flex_schema_info#module:schemas),
    which is also the shape M(genesys.cloud.flex_schema) takes, with relationships naming their target schema.
  - Without terms, returns every schema of the org (all pages), in creation order.
  - With terms, returns one schema per term, in the order of the terms; a name that matches no schema is an error
    (call the lookup with C(errors='ignore') to get nothing instead).
  - Only reads; runs the same in check mode.
extends_documentation_fragment:
  - genesys.cloud.auth
options:
  _terms:
    description:
      - Names of the schemas to read, compared without regard to case.
    type: list
    elements: str
    required: false
seealso:
  - module: genesys.cloud.flex_schema_info
  - plugin: genesys.cloud.custom_object_records
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Fail early when a schema that the records depend on is missing its unique key
  ansible.builtin.assert:
    that: >-
      lookup('genesys.cloud.flex_schema', 'customerAccounts').fields
      | selectattr('name', 'equalto', 'accountNumber') | map(attribute='unique') | first
    fail_msg: customerAccounts.accountNumber must be unique

- name: The names of every schema of the org
  ansible.builtin.debug:
    msg: "{{ query('genesys.cloud.flex_schema') | map(attribute='name') | list }}"

- name: Read two schemas with explicit credentials
  ansible.builtin.set_fact:
    schemas: >-
      {{ query('genesys.cloud.flex_schema', 'customerAccounts', 'regions',
               region='eu-west-1', client_id=vault_client_id, client_secret=vault_client_secret) }}
"""

RETURN = r"""
_list:
  description:
    - One schema per term (every schema without terms), each as M(genesys.cloud.flex_schema) takes it.
  type: list
  elements: dict
  contains:
    name:
      description: The schema's name.
      type: str
    description:
      description: The schema's description, empty when it has none.
      type: str
    fields:
      description:
        - The schema's fields, each with C(name), C(type), C(required) and C(unique), plus C(options) and
          C(max_length) when set, and C(relationship) (C(schema) and C(field)) for relationship fields.
      type: list
      elements: dict
"""

from ansible.errors import AnsibleLookupError

from ansible_collections.genesys.cloud.plugins.module_utils.flex_schema import SCHEMAS_PATH, Catalog, user_schema
from ansible_collections.genesys.cloud.plugins.module_utils.paging import SCHEMA_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.plugin_utils.lookup import GenesysCloudLookup


class LookupModule(GenesysCloudLookup):

    NAME = "genesys.cloud.flex_schema"

    def read(self, client, terms):
        # Every schema is read, also for one name: relationship targets are shown by their names.
        stored = list(client.paginate(SCHEMAS_PATH, page_size=SCHEMA_PAGE_SIZE))
        catalog = Catalog(stored)
        if not terms:
            return [user_schema(schema, catalog) for schema in stored]
        missing = [name for name in terms if catalog.find(name) is None]
        if missing:
            raise AnsibleLookupError("%s lookup: no flex schema is named %s (the org has: %s)" % (
                self.NAME, ", ".join(missing), ", ".join(schema["name"] for schema in stored) or "no schema"))
        return [user_schema(catalog.find(name), catalog) for name in terms]
