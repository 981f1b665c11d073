"""The Event-Driven Ansible plugin pages are reachable from the docs site's index (issue 27 item 9), not only
from the event-driven guide: scripts/build_docs.py puts them in a toctree of the index."""
import os
import sys

from tests.eda.rulebook_runner import REPO

sys.path.insert(0, os.path.join(REPO, "scripts"))

import build_docs  # noqa: E402
import eda_docs  # noqa: E402


def test_the_site_index_lists_every_event_source_and_filter_page(tmp_path):
    pages = eda_docs.write_pages(str(tmp_path))
    assert sorted(pages) == ["not_from_clients_event_filter", "webhook_events_event_source"]
    with open(os.path.join(build_docs.SITE, "index.rst"), encoding="utf-8") as handle:
        index = build_docs.index_text(handle.read(), ["event_driven"], pages)
    section = index[index.index(":caption: Event-Driven Ansible plugins:"):index.index(":caption: Release notes:")]
    assert "   eda/webhook_events_event_source\n   eda/not_from_clients_event_filter\n" in section
    assert "   guides/event_driven" in index and "GUIDES" not in index
