"""``make bench-datatable`` (bench/datatable_bench.py) at a small size: every run is at the request floor and its
section is written."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_data_table_bench_runs_at_the_floor_and_writes_its_section(tmp_path):
    report = tmp_path / "benchmark.md"
    report.write_text("# Benchmarks\n\n<!-- org-bench:start -->\nother section\n<!-- org-bench:end -->\n")
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run(["make", "--no-print-directory", "bench-datatable",
                    "BENCH_DATATABLE_ARGS=--rows 250 --write %s" % report], check=True, cwd=REPO, env=env,
                   capture_output=True, timeout=600)
    text = report.read_text()
    assert "<!-- org-bench:start -->\nother section\n<!-- org-bench:end -->" in text
    section = text.split("<!-- datatable-bench:start -->")[1].split("<!-- datatable-bench:end -->")[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    # first load: 250 writes and no page (the table is new); no-op: 3 pages; 1 %: 3 pages and 3 writes
    assert [(cells[0].strip(), int(cells[1]), int(cells[2]), cells[5].strip()) for cells in rows] == [
        ("first load", 0, 250, "yes"), ("no-op", 3, 0, "yes"), ("1 % changed", 3, 3, "yes")]
