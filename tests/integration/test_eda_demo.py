"""``make demo-events`` runs for real: emulator, ansible-rulebook with the shipped schema_drift rulebook, the
automation's own changes dropped, a change by another client firing the drift check."""
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def test_make_demo_events():
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    process = subprocess.run(["make", "--no-print-directory", "demo-events"], cwd=REPO, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    output = process.stdout
    assert process.returncode == 0, output[-6000:]
    dropped = re.search(r"accepted by the source \(202\) and dropped by the filter: (\d+)", output)
    assert dropped and int(dropped.group(1)) >= 4, output[-6000:]
    assert len(re.findall(r"not_from_clients: dropped event \S+ \(data\.flex\.schema\.created\) made by client "
                          r"demo-client", output)) >= 4
    assert "alice-console changed the description of customerAccounts" in output
    # the rule ran the drift check, whose plan shows the one schema alice changed
    assert "PLAY [Preview changes to Genesys Cloud orgs]" in output
    assert "schemas: create 0, update 1, delete 0" in output
    assert re.search(r"\[rulebook\] acme\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0", output)
    assert "A change made by another client reached the rule" in output
    assert "demo-events-signing-secret" not in output


def test_make_bench_eda_writes_its_section(tmp_path):
    """``make bench-eda`` at a tiny size: both set-ups accept every delivery; only its own section is replaced."""
    report = tmp_path / "benchmark.md"
    report.write_text("# Benchmarks\n\n<!-- org-bench:start -->\nother section\n<!-- org-bench:end -->\n\n"
                      "<!-- eda-bench:start -->\nold numbers\n<!-- eda-bench:end -->\n\nTrailer kept.\n")
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    process = subprocess.run(["make", "--no-print-directory", "bench-eda",
                              "BENCH_EDA_ARGS=--deliveries 300 --write %s" % report], cwd=REPO, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    assert process.returncode == 0, process.stdout[-4000:]
    text = report.read_text()
    assert "<!-- org-bench:start -->\nother section\n<!-- org-bench:end -->" in text and text.endswith("Trailer kept.\n")
    assert "old numbers" not in text and text.count("<!-- eda-bench:start -->") == 1
    rows = re.findall(r"^\| (source|rulebook) \| 300 \| 2 \| 300 \| [\d.]+ s \| (\d+) \| (\d+|-) \| (\d+) MB "
                      r"\| (\d+) MB \|", text, re.M)
    assert [row[0] for row in rows] == ["source", "rulebook"], text
    assert all(int(per_second) > 0 and int(after) > 0 for _, per_second, _, _, after in rows)
    assert rows[0][2] == "-" and int(rows[1][2]) > 0  # the rules engine is measured in the rulebook set-up only
