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
