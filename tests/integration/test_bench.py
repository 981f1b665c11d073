"""`make bench` at a tiny size: every row runs and the report section is written, the rest of the file kept."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(REPO, "bench", "records_bench.py")


def table_rows(text):
    """The rows of the results table (the goals table after it is left out)."""
    results = text.split("Goals (issue 12)")[0]
    return [line for line in results.splitlines()
            if line.startswith("| ") and not line.startswith(("| records", "| ---"))]


def test_bench_writes_its_section_and_keeps_the_others(tmp_path):
    report = tmp_path / "benchmark.md"
    report.write_text("# Benchmarks\n\nIntro kept.\n\n<!-- org-bench:start -->\nother section\n"
                      "<!-- org-bench:end -->\n\n<!-- records-bench:start -->\nold numbers\n"
                      "<!-- records-bench:end -->\n\nTrailer kept.\n")
    run = subprocess.run([sys.executable, BENCH, "--sizes", "200", "--seeded-sizes", "300", "--resume-size", "300",
                          "--write", str(report)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nIntro kept.\n") and text.endswith("\n\nTrailer kept.\n")
    assert "<!-- org-bench:start -->\nother section\n<!-- org-bench:end -->" in text
    assert "old numbers" not in text and text.count("<!-- records-bench:start -->") == 1
    section = text.split("<!-- records-bench:start -->")[1].split("<!-- records-bench:end -->")[0]
    assert "100 % of the ceiling" in section  # the prose that broke %-formatting
    rows = table_rows(section)
    runs = [[cell.strip() for cell in row.strip("|").split("|")][:3] for row in rows]
    for expected in (["200", "first load", "module, jsonl"], ["200", "no-op re-run", "module, jsonl"],
                     ["200", "no-op re-run", "module, csv"], ["200", "1 % changed", "module, csv"],
                     ["300", "no-op (seeded)", "module, jsonl"], ["300", "1 % changed (seeded)", "module, csv"],
                     ["300", "re-run after a load broken at 100 stored (wrote exactly the missing)", "module, jsonl"]):
        assert expected in runs, runs
    first = next(row for row in rows if "| first load | module" in row)
    # 200 records: one schema lookup, one read of the empty org, two batches of 100.
    assert "| 4 (3) | 0 | 200 |" in first, first
    assert all(row.rstrip().endswith("MB |") for row in rows)
    # The goals table checks the figures it has rows for: here only the interrupted load's re-run.
    goals = section.split("Goals (issue 12), checked on this run:")[1]
    assert "| re-run of an interrupted load writes exactly the missing records | wrote exactly the missing | yes |" \
        in goals, goals
    seeded_no_op = next(row for row in rows if "| no-op (seeded) | module, jsonl" in row)
    assert "| 2 (1) | 0 | 0 |" in seeded_no_op, seeded_no_op  # schema lookup + one page of 300, no write
    changed = next(row for row in rows if "| 1 % changed (seeded) | module, jsonl" in row)
    assert "| 3 (2) | 0 | 3 |" in changed, changed  # records 0, 100 and 200 differ: one batch
