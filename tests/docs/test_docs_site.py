"""The docs site (`make docs`) opened in headless Chromium: every page renders, no internal link is broken.

Needs Debian's chromium (`make chromium` installs it; `make test` does so first). DOCS_SITE may name
an index.html built already; otherwise the site is built here, offline.
"""
import os
import re
import sys

import pytest
import yaml

from tests.conftest import REPO
from tests.support import site_check

sys.path.insert(0, os.path.join(REPO, "scripts"))
import build_docs  # noqa: E402

SITE_PLUGINS = ("lookup", "filter", "callback")


@pytest.fixture(scope="module")
def chromium():
    if not os.access(site_check.CHROMIUM, os.X_OK):
        pytest.fail("%s is missing: run 'make chromium' (apt-get install chromium)" % site_check.CHROMIUM)


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):
    index = os.environ.get("DOCS_SITE") or build_docs.main(str(tmp_path_factory.mktemp("docs")))
    pages, problems = site_check.crawl(index)
    return pages, problems


def expected_pages():
    """Page (relative to the site) -> text its h1 must hold: every module, role, plugin and guide."""
    expected = {}
    base = "collections/genesys/cloud/"
    for name in os.listdir(os.path.join(REPO, "plugins", "modules")):
        if name.endswith(".py"):
            expected[base + name[:-3] + "_module.html"] = "genesys.cloud.%s module" % name[:-3]
    for kind in SITE_PLUGINS:
        directory = os.path.join(REPO, "plugins", kind)
        for name in os.listdir(directory) if os.path.isdir(directory) else ():
            if name.endswith(".py") and not name.startswith("_"):
                expected[base + "%s_%s.html" % (name[:-3], kind)] = "genesys.cloud.%s %s" % (name[:-3], kind)
    for kind in ("event_source", "event_filter"):  # Event-Driven Ansible plugins: pages from scripts/eda_docs.py
        directory = os.path.join(REPO, "extensions", "eda", "plugins", kind)
        for name in os.listdir(directory) if os.path.isdir(directory) else ():
            if name.endswith(".py") and not name.startswith("_"):
                expected["eda/%s_%s.html" % (name[:-3], kind)] = "genesys.cloud.%s %s" % (
                    name[:-3], kind.replace("_", " "))
    for name in os.listdir(os.path.join(REPO, "roles")):
        expected[base + name + "_role.html"] = "genesys.cloud.%s role" % name
    for name in build_docs.GUIDES:
        path = os.path.join(REPO, "docs", name + ".md")
        if os.path.exists(path):
            with open(path) as handle:
                expected["guides/%s.html" % name] = handle.readline().lstrip("# ").strip().replace("`", "")
    # The guides docs.ansible.com shows (docs/docsite/extra-docs.yml): h1 = the title under the label.
    for name in extra_docs():
        with open(os.path.join(REPO, "docs", "docsite", "rst", name + ".rst")) as handle:
            lines = [line.strip() for line in handle if line.strip() and not line.startswith("..")]
        expected[base + "docsite/%s.html" % name] = lines[0]
    expected["changelog.html"] = "Release Notes"
    return expected


def extra_docs():
    with open(os.path.join(REPO, "docs", "docsite", "extra-docs.yml")) as handle:
        return [name for section in yaml.safe_load(handle)["sections"] for name in section["toctree"]]


@pytest.mark.slow
def test_every_module_role_plugin_and_guide_page_renders(site):
    pages, _problems = site
    expected = expected_pages()
    assert len([page for page in expected if page.startswith("guides/")]) >= 7
    missing = sorted(page for page in expected if page not in pages)
    assert missing == [], "pages not reachable from the index: %s" % missing
    wrong = ["%s: h1 %r does not name %r" % (page, pages[page].h1.strip(), heading)
             for page, heading in sorted(expected.items()) if heading not in " ".join(pages[page].h1.split())]
    assert wrong == []
    for page in expected:
        assert len(pages[page].main_text.split()) > 40, page


@pytest.mark.slow
def test_the_release_notes_the_playbook_reference_and_the_communication_links_are_on_the_site(site):
    pages, _problems = site
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    changelog = pages["changelog.html"].main_text
    assert "v%s" % version in changelog and "Release Summary" in changelog
    index = " ".join(pages["collections/genesys/cloud/index.html"].main_text.split())
    assert "Ansible Forum" in index and "Report an issue" in index and version in index
    assert {"guide_getting_started", "playbooks"} <= set(extra_docs())
    reference = pages["collections/genesys/cloud/docsite/playbooks.html"].main_text
    for name in sorted(os.listdir(os.path.join(REPO, "playbooks"))):
        with open(os.path.join(REPO, "playbooks", name)) as handle:
            inputs = set(re.findall(r"\b(genesys_\w+) \| default", handle.read()))
        assert "genesys.cloud.%s" % name[:-4] in reference, name
        assert sorted(var for var in inputs if var not in reference) == [], name


@pytest.mark.slow
def test_no_internal_link_is_broken_and_no_page_is_empty(site):
    pages, problems = site
    assert len(pages) > len(expected_pages())
    assert problems == []


def test_the_check_finds_a_missing_page_a_missing_anchor_and_an_empty_page(chromium, tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><body><div role="main"><h1>Index</h1><p>text</p>'
        '<a href="good.html#here">good</a> <a href="gone.html">gone</a> <a href="good.html#nowhere">bad anchor</a>'
        '<a href="empty.html">empty</a> <a href="https://example.invalid/">external</a></div></body></html>')
    (tmp_path / "good.html").write_text('<html><body><div role="main"><h1 id="here">Good</h1>ok</div></body></html>')
    # Its source has a heading and content; the rendered page has neither (the browser ran the script).
    (tmp_path / "empty.html").write_text('<html><body><div role="main"><h1>Empty</h1>gone once scripts ran</div>'
                                         "<script>document.body.innerHTML = '';</script></body></html>")
    pages, problems = site_check.crawl(str(tmp_path / "index.html"))
    assert sorted(pages) == ["empty.html", "good.html", "index.html"]
    assert problems == ["index.html: link gone.html points at a missing file",
                        "empty.html: rendered without a heading or content",
                        "index.html: link good.html#nowhere names a missing anchor #nowhere"]
