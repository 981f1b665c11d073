# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: plan_markdown
short_description: Render the plan of an org run as Markdown
version_added: 0.2.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Takes the plan of a M(genesys.cloud.org) task (its RV(genesys.cloud.org#module:plan) return value) or the
    content of a file written by its O(genesys.cloud.org#module:plan_json) option, and returns the same Markdown
    that O(genesys.cloud.org#module:plan_markdown) writes, ready to post on a pull request or to an approval step.
  - Runs on the control node from data the task already returned; nothing is read from the org.
options:
  _input:
    description: The plan.
    type: dict
    required: true
  title:
    description: The heading; by default C(Genesys Cloud plan for) and the org's name and id.
    type: str
"""

EXAMPLES = r"""
- name: Preview the org
  genesys.cloud.org:
    org_dir: orgs/acme
    preview: true
  register: preview

- name: Publish the plan for an approval step
  ansible.builtin.set_stats:
    data:
      plan_markdown: "{{ preview.plan | genesys.cloud.plan_markdown }}"

- name: Render a plan saved by plan_json
  ansible.builtin.debug:
    msg: "{{ lookup('ansible.builtin.file', 'plan.json') | from_json | genesys.cloud.plan_markdown(title='Tonight') }}"
"""

RETURN = r"""
_value:
  description: The plan as Markdown.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.genesys.cloud.plugins.plugin_utils.org_report import PLAN_FORMAT, plan_markdown as render

NEEDED = ("org", "counts", "changed", "flags", "changes", "notes")


def plan_markdown(plan, title=None):
    if not isinstance(plan, dict) or any(key not in plan for key in NEEDED):
        got = ("a dict without %s" % ", ".join(key for key in NEEDED if key not in plan) if isinstance(plan, dict)
               else type(plan).__name__)
        raise AnsibleFilterError("plan_markdown expects the plan of a genesys.cloud.org task (its 'plan' return value) "
                                 "or the content of a plan_json file, got %s" % got)
    if plan.get("format") != PLAN_FORMAT:
        raise AnsibleFilterError("plan_markdown: the plan is in format %r, this collection writes and reads format %d; "
                                 "make the plan again with this version" % (plan.get("format"), PLAN_FORMAT))
    try:
        return render(plan, title)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise AnsibleFilterError("plan_markdown: the plan is damaged (%s: %s); make it again rather than editing it"
                                 % (type(exc).__name__, str(exc)[:80]))


class FilterModule(object):
    def filters(self):
        return {"plan_markdown": plan_markdown}
