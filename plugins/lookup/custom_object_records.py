# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: custom_object_records
short_description: Read custom-object records of a Genesys Cloud flex schema inside templates and conditionals
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Returns the records of one flex schema, ordered by id; all of them, or those whose O(key) holds one of O(values),
    and/or those whose fields equal every item of O(filter).
  - All pages are read through one client (one token, one rate-limit pacer); up to 25 ids are read one request each.
  - Values are compared as M(genesys.cloud.custom_object_records) compares them (numbers by value, dates by the
    instant they name).
  - Only reads; runs the same in check mode.
  - Use the C(query) function, or C(lookup) with C(wantlist=true), to always get a list, also when one record matches.
extends_documentation_fragment:
  - genesys.cloud.auth
options:
  _terms:
    description:
      - The name of the flex schema (exact, case-sensitive). Exactly one.
    type: list
    elements: str
    required: true
  key:
    description:
      - The field that O(values) are values of, C(id) or a unique field of the schema.
    type: str
    default: id
  values:
    description:
      - Return only the records whose O(key) holds one of these values.
    type: list
    elements: raw
  filter:
    description:
      - Return only the records whose fields equal every value of this dictionary (field name to value).
      - A field without a value in a record matches V(null).
    type: dict
  page_size:
    description:
      - How many records to read per page.
    type: int
    default: 500
seealso:
  - module: genesys.cloud.custom_object_record_info
  - plugin: genesys.cloud.flex_schema
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Route by the tier stored for the caller's account
  ansible.builtin.debug:
    msg: >-
      {{ lookup('genesys.cloud.custom_object_records', 'customerAccounts',
                key='accountNumber', values=[account_number]).tier }}
  vars:
    account_number: acc-002

- name: Every gold account, as a list
  ansible.builtin.set_fact:
    gold_accounts: "{{ query('genesys.cloud.custom_object_records', 'customerAccounts', filter={'tier': 'gold'}) }}"

- name: Only when the account exists
  ansible.builtin.debug:
    msg: acc-001 is known
  when: query('genesys.cloud.custom_object_records', 'customerAccounts', key='accountNumber', values=['acc-001']) | length > 0
"""

RETURN = r"""
_list:
  description:
    - The matching records, ordered by id, each with its fields (a field without a value is absent), C(id),
      C(version), C(dateCreated) and C(dateModified).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError

from ansible_collections.genesys.cloud.plugins.module_utils.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils.paging import RECORD_PAGE_SIZE
from ansible_collections.genesys.cloud.plugins.module_utils.record_query import find_schema, query_problems, read_records
from ansible_collections.genesys.cloud.plugins.plugin_utils.lookup import GenesysCloudLookup


class LookupModule(GenesysCloudLookup):

    NAME = "genesys.cloud.custom_object_records"

    def read(self, client, terms):
        if len(terms) != 1:
            raise AnsibleLookupError("%s lookup: give exactly one schema name, got %d terms" % (self.NAME, len(terms)))
        page_size = self.get_option("page_size")
        if not 1 <= page_size <= RECORD_PAGE_SIZE:
            raise AnsibleLookupError("%s lookup: page_size must be 1 to %d, got %d" % (
                self.NAME, RECORD_PAGE_SIZE, page_size))
        key, values, where = self.get_option("key"), self.get_option("values"), self.get_option("filter")
        schema = find_schema(client, terms[0])
        problems = query_problems(schema, key, values, where)
        if problems:
            raise InputError(problems, what="the lookup's options")
        return read_records(client, schema, key, values, where, page_size)
