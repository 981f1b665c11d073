# Sphinx configuration of the collection's docs site (`make docs`, scripts/build_docs.py).
# Started from `antsibull-docs sphinx-init`; the guides are Markdown, read with myst-parser.

import socket
import urllib.parse

from docutils import nodes

project = 'genesys.cloud'
copyright = 'genesys.cloud contributors'
title = 'genesys.cloud collection documentation'
html_short_title = 'genesys.cloud'

extensions = ['sphinx.ext.intersphinx', 'sphinx_antsibull_ext', 'myst_parser']
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
myst_heading_anchors = 3

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
html_theme_options = {
    # The theme's logo links to '/', which is no page of this site wherever it is served.
    'documentation_home_url': 'https://github.com/genesys-cloud-collection/genesys.cloud',
    'show_rtd_ethical_ads': False,
}

# Links to the Ansible and Python docs resolve through intersphinx inventories, fetched from the
# network. Offline, an unreachable inventory is left out (instead of a warning that -W turns into an
# error), and the few Ansible labels the generated reference uses link to the Ansible docs directly.
INVENTORIES = {
    'python3': 'https://docs.python.org/3/',
    'ansible_devel': 'https://docs.ansible.com/projects/ansible/devel/',
}
ANSIBLE_DOCS = INVENTORIES['ansible_devel']
ANSIBLE_LABELS = {
    'common_return_values': 'reference_appendices/common_return_values.html#common-return-values',
    'callback_plugins': 'plugins/callback.html#callback-plugins',
    'ansible_configuration_settings': 'reference_appendices/config.html#ansible-configuration-settings',
    'module_defaults': 'playbook_guide/playbooks_module_defaults.html#module-defaults',
    'action_plugins': 'plugins/action.html#action-plugins',
}


def _reachable(url, timeout=3.0):
    host = urllib.parse.urlsplit(url).hostname
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


intersphinx_mapping = dict((name, (url, None)) for name, url in INVENTORIES.items() if _reachable(url))
intersphinx_timeout = 10


def _ansible_docs_link(app, env, node, contnode):
    """Resolve a reference left unresolved because the Ansible inventory was not available."""
    if 'ansible_devel' in intersphinx_mapping:
        return None
    target, reftype = node.get('reftarget', ''), node.get('reftype')
    if reftype == 'ref' and target in ANSIBLE_LABELS:
        uri = ANSIBLE_DOCS + ANSIBLE_LABELS[target]
    elif reftype == 'envvar' and target.startswith('ANSIBLE_'):
        uri = ANSIBLE_DOCS + 'reference_appendices/config.html#envvar-' + target
    else:
        return None
    reference = nodes.reference('', '', internal=False, refuri=uri)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect('missing-reference', _ansible_docs_link)


default_role = 'any'
nitpicky = True
