"""bench/report_section.py: each benchmark replaces only its own section of docs/benchmark.md."""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "bench"))

from report_section import write_section  # noqa: E402


def test_a_section_is_appended_then_replaced_and_the_others_stay(tmp_path):
    path = str(tmp_path / "benchmark.md")
    write_section(path, "records-bench", "## Records\n\n100 % of the ceiling {x}\n")
    write_section(path, "org-bench", "## Orgs\n\nfirst\n")
    write_section(path, "org-bench", "## Orgs\n\nsecond\n")
    with open(path) as handle:
        text = handle.read()
    assert text == ("# Benchmarks\n\n<!-- records-bench:start -->\n## Records\n\n100 % of the ceiling {x}\n"
                    "<!-- records-bench:end -->\n\n<!-- org-bench:start -->\n## Orgs\n\nsecond\n<!-- org-bench:end -->\n")


def test_the_repository_benchmark_page_has_each_section_once():
    with open(os.path.join(REPO, "docs", "benchmark.md")) as handle:
        text = handle.read()
    for name in ("records-bench", "task-cost-bench"):
        assert text.count("<!-- %s:start -->" % name) == 1 and text.count("<!-- %s:end -->" % name) == 1
