"""Issue 27 item 5: a failed org run reads as one message, printed once; a failed preview prints its plan as text."""
import os

from ansible_collections.genesys.cloud.plugins.plugin_utils.org_report import MSG_LIMIT, failure_message
from tests.integration.test_org import org_playbook

PROBLEMS = 500
ORG_TASK = "genesys.cloud.org : Apply the org definition"
FAIL_TASK = "genesys.cloud.org : Fail with the run's message"


def unknown_schemas_org(root, count=PROBLEMS):
    """One schema to create and ``count`` record files naming schemas that exist nowhere: ``count`` problems."""
    os.makedirs(os.path.join(root, "records"))
    os.makedirs(os.path.join(root, "schemas"))
    with open(os.path.join(root, "schemas", "things.yml"), "w") as handle:
        handle.write("name: things\nfields:\n  - {name: code, type: string, required: true, unique: true}\n")
    for number in range(count):
        with open(os.path.join(root, "records", "missing%03d.yml" % number), "w") as handle:
            handle.write("- {code: a}\n")
    return root


def printed(stdout, text):
    """How often ``text`` is printed, leaving out ansible-core 2.19's echo of a failed task's msg
    (its "[ERROR]: Task failed: Action failed: <msg>" line, printed for every failed task)."""
    return sum(line.count(text) for line in stdout.splitlines() if not line.startswith("[ERROR]: Task failed"))


def test_a_refused_configure_fails_with_one_capped_message_printed_once_and_every_problem_in_problems(
        emulator, tmp_path):
    org = unknown_schemas_org(str(tmp_path / "org"))

    run = org_playbook(emulator, tmp_path, "configure_org", org)

    assert run.rc == 2, run
    assert emulator.module_writes() == []
    msg = run.task(FAIL_TASK)["msg"]
    assert isinstance(msg, str) and len(msg) <= MSG_LIMIT
    assert msg.startswith("the org definition cannot be applied, nothing was changed. Fix: ")
    shown = sum(1 for number in range(PROBLEMS) if "missing%03d.yml" % number in msg)
    assert 10 < shown < PROBLEMS
    assert msg.endswith("; ... and %d more problems (%d in all; the task's problems and the plan files list every "
                        "one)" % (PROBLEMS - shown, PROBLEMS))
    problems = run.task(ORG_TASK)["problems"]
    assert len(problems) == PROBLEMS and all("is neither in the org nor in the directory" in p for p in problems)
    assert printed(run.stdout, "missing000.yml") == 1
    assert printed(run.stdout, "missing499.yml") == 0
    assert len(run.stdout) < 3 * MSG_LIMIT + 3000, "the output repeats the problems: %d characters" % len(run.stdout)


def test_a_failed_drift_check_prints_the_plan_once_as_text_and_then_its_message(emulator, tmp_path):
    org = unknown_schemas_org(str(tmp_path / "org"), count=0)

    run = org_playbook(emulator, tmp_path, "preview_org", org, genesys_fail_on_changes=True)

    assert run.rc == 2, run
    lines = run.stdout.splitlines()
    assert "| schemas | 1 | 0 | 0 |" in lines  # the plan's own lines, not a list's quoted items
    assert "['" not in run.stdout and '", "' not in run.stdout
    assert printed(run.stdout, "| schemas | 1 | 0 | 0 |") == 1
    msg = run.task(FAIL_TASK)["msg"]
    assert msg == "the org differs from its definition: schemas: create 1, update 0, delete 0; records: create 0, " \
                  "update 0, delete 0; webhooks: create 0, update 0, delete 0"
    assert printed(run.stdout, msg) == 1


def test_a_long_message_without_a_problem_list_is_cut_at_a_part_and_says_how_many_parts_are_left():
    parts = ["part %04d of a long message" % number for number in range(400)]
    msg = failure_message("; ".join(parts))
    assert len(msg) <= MSG_LIMIT and msg.startswith("part 0000 of a long message; part 0001")
    shown = sum(1 for part in parts if part in msg)
    assert msg.endswith("; ... and %d more (the plan files list everything)" % (len(parts) - shown))
    assert failure_message("short; message", ["short", "message"]) == "short; message"
    # one problem longer than the limit: cut, and still counted as left out
    cut = failure_message("Fix: " + "x" * 5000, ["x" * 5000])
    assert len(cut) <= MSG_LIMIT and cut.endswith("; ... and 1 more problem (1 in all; the task's problems and "
                                                  "the plan files list every one)")
