# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Every module of the collection is in the action group meta/runtime.yml declares.
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/genesys.cloud.all) in C(module_defaults) to set the connection options of all the
      collection's modules at once.
    support: full
    membership:
      - genesys.cloud.all
    version_added: 0.2.0
"""

    # Modules that only read.
    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    description: Only reads, so it runs the same in check mode.
  diff_mode:
    support: N/A
    description: Only reads; it never changes anything, so there is nothing to show a diff of.
"""
