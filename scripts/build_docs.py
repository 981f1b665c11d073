#!/usr/bin/env python3
"""`make docs`: the collection's docs site in build/docs/html, built offline.

1. ``antsibull-docs collection --use-current`` writes the module, role and plugin reference (rST)
   for the collection found through build/collections;
2. the guides (GUIDES, those that exist) are copied next to it as Markdown; links to repository
   files that are not part of the site point at the repository instead;
3. CHANGELOG.rst (antsibull-changelog's release notes) becomes the page ``changelog``;
4. ``sphinx-build -W`` (docs/site/conf.py) builds the HTML: any warning fails the build.

The guides of docs/docsite/rst (listed in docs/docsite/extra-docs.yml, which docs.ansible.com reads too)
and the links of docs/docsite/links.yml come with the reference that antsibull-docs writes.
"""
import os
import re
import shutil
import subprocess
import sys

from collection_link import ensure_link
from eda_docs import write_pages as write_eda_pages

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = os.path.join(REPO, "docs", "site")
OUT = os.path.join(REPO, "build", "docs")
COLLECTIONS_ROOT = os.path.join(REPO, "build", "collections")
REPOSITORY_URL = "https://github.com/genesys-cloud-collection/genesys.cloud/blob/main/"
# The user guides, in reading order; a guide that does not exist (yet) is left out.
GUIDES = ("getting_started", "org_as_code", "export", "flex_schemas", "records", "webhooks", "datatables",
          "workitems_and_triggers", "real_orgs", "event_driven", "audit", "awx", "troubleshooting", "safety")
LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s]+)\)")


def guide_text(text, guides):
    """Keep links between guides; send other relative links (examples/, README.md ...) to the repository."""

    def relink(match):
        target = match.group(1)
        path, _, anchor = target.partition("#")
        if os.path.dirname(path) == "" and path.endswith(".md") and path[:-3] in guides:
            return match.group(0)
        resolved = os.path.normpath(os.path.join("docs", path))
        return "](%s%s%s)" % (REPOSITORY_URL, resolved, "#" + anchor if anchor else "")

    return LINK.sub(relink, text)


def index_text(template, guides, eda_pages):
    """The site's index: the guides in place of GUIDES, and the Event-Driven Ansible plugin pages (which
    antsibull-docs does not index) in a toctree of their own, before the release notes."""
    index = template.replace("GUIDES", "\n".join("   guides/%s" % name for name in guides))
    toctree = ".. toctree::\n   :maxdepth: 1\n   :caption: Event-Driven Ansible plugins:\n\n%s\n\n" % "\n".join(
        "   eda/%s" % page for page in eda_pages)
    anchor = index.find(".. toctree::\n   :maxdepth: 1\n   :caption: Release notes:")
    return index[:anchor] + toctree + index[anchor:] if anchor >= 0 else index + "\n" + toctree


def run(command, **kwargs):
    print("+ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)


def main(out=OUT):
    """Build the site in ``out`` (its HTML in ``out``/html) and return the path of its index page."""
    bin_dir = os.path.dirname(sys.executable)
    ensure_link(COLLECTIONS_ROOT)
    rst = os.path.join(out, "rst")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(rst)
    os.chmod(rst, 0o755)  # antsibull-docs wants the directory writable only by its owner
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT,
               PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    run([os.path.join(bin_dir, "antsibull-docs"), "--config-file", os.path.join(SITE, "antsibull-docs.cfg"),
         "collection", "--use-current", "--fail-on-error", "--cleanup", "everything", "--dest-dir", rst,
         "genesys.cloud"], env=env)
    guides = [name for name in GUIDES if os.path.exists(os.path.join(REPO, "docs", name + ".md"))]
    os.makedirs(os.path.join(rst, "guides"))
    eda_pages = write_eda_pages(os.path.join(rst, "eda"))  # event source/filter reference (no antsibull type)
    for name in guides:
        with open(os.path.join(REPO, "docs", name + ".md")) as handle:
            text = guide_text(handle.read(), guides)
        if name == "event_driven":  # the pages themselves are in the index's toctree (index_text)
            text += "\n## Plugin reference\n\n%s\n" % "\n".join("- {doc}`/eda/%s`" % page for page in eda_pages)
        with open(os.path.join(rst, "guides", name + ".md"), "w") as handle:
            handle.write(text)
    shutil.copy(os.path.join(REPO, "CHANGELOG.rst"), os.path.join(rst, "changelog.rst"))
    with open(os.path.join(SITE, "index.rst")) as handle:
        index = index_text(handle.read(), guides, eda_pages)
    with open(os.path.join(rst, "index.rst"), "w") as handle:
        handle.write(index)
    run([os.path.join(bin_dir, "sphinx-build"), "-b", "html", "-c", SITE, "-W", "--keep-going", "-q",
         rst, os.path.join(out, "html")], env=env)
    index = os.path.join(out, "html", "index.html")
    print("docs site: %s" % index)
    return index


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else OUT)
