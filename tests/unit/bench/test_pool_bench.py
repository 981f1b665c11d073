"""bench/pool_bench.py's report from logged rows: the last row of a run wins, the goals say met or not."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "bench"))
import pool_bench  # noqa: E402


def row(pool, size, run, seconds, rate_limited=0, peak_mb=150.0, part="records"):
    return dict(part=part, pool=pool, size=size, run=run, seconds=seconds, requests=2001, minimum=2000,
                rate_limited=rate_limited, tokens=pool, written=0, peak_mb=peak_mb, cpu_seconds=50.0,
                emulator_cpu=9.0, load=3.5)


def test_the_report_keeps_the_last_row_of_a_run_and_checks_the_targets():
    rows = [row(8, 1000000, "no-op (seeded)", 286.5), row(8, 1000000, "no-op (seeded)", 56.5),
            row(8, 100000, "first load", 31.0, rate_limited=1), row(1, 1000000, "no-op (seeded)", 415.8, peak_mb=260)]
    text = pool_bench.report(rows)
    assert "286.5" not in text and "| no-op (seeded) | 1,000,000 | 8 | 56.5 s | 2001 (2000) | 0 s | 0 | 8 |" in text
    assert "| 1,000,000-record no-op (s, at most 60) | 56.5 | yes |" in text
    assert "| 100,000-record first load (s, at most 30) | 31.0 | no |" in text
    assert "| no 429 retried | 1 | no |" in text
    assert "| memory at 1,000,000 records (MB, at most 250) | 260 | no |" in text
    assert "| 50 + 9 s | 3.5 |" in text


def test_the_report_shows_the_data_table_rows_and_their_targets():
    first = dict(row(8, 5000, "data-table rows, first load", 150.2, part="datatable"), requests=5002, minimum=5002)
    noop = dict(row(8, 5000, "data-table rows, no-op", 1.5, part="datatable"), requests=51, minimum=51)
    slow = dict(row(4, 5000, "data-table rows, no-op", 2.5, part="datatable"), requests=52, minimum=51)
    text = pool_bench.report([row(8, 100000, "first load", 25.0), first, noop, slow,
                              row(8, 200, "first apply (org run)", 19.0, part="org")])
    lines = [line for line in text.splitlines() if line.startswith("| ") and " s | " in line]
    assert [line.split(" | ")[0] for line in lines] == [
        "| first load", "| data-table rows, first load", "| data-table rows, no-op", "| data-table rows, no-op",
        "| first apply (org run)"]  # records, then data-table rows, then the org run
    assert "| data-table rows, first load | 5,000 | 8 | 150.2 s | 5002 (5002) | 120 s | 0 |" in text
    assert "| 5,000 data-table rows first load (s, at most 180) | 150.2 | yes |" in text
    assert "| 5,000 data-table rows no-op at the request floor (requests, 51) | 51, 52 | no |" in text
