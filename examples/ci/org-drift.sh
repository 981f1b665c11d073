#!/bin/sh
# Scheduled drift check: preview every org and compare. Exit codes:
#   0  clean: every org matches its directory
#   2  drift: an org would change (a change its directory cannot apply included), or holds schemas or
#      webhooks its directory does not name
#   1  an error: an unreachable API, an unreadable directory, a bad option
# The plans of each org are kept in PLAN_DIR (JSON and Markdown) for the job's artifacts.
set -eu
here=$(dirname "$0")
mkdir -p "$PLAN_DIR"
rm -f "$PLAN_DIR"/*.json "$PLAN_DIR"/*.md
status=0
ansible-playbook -i "$INVENTORY" "${PREVIEW_PLAYBOOK:-genesys.cloud.preview_org}" \
    -e genesys_fail_on_refused=false \
    -e "genesys_plan_json=$PLAN_DIR/{{ inventory_hostname }}.json" \
    -e "genesys_plan_markdown=$PLAN_DIR/{{ inventory_hostname }}.md" || status=$?
if [ "$status" -ne 0 ]; then
    echo "org-drift.sh: the drift check could not run (ansible-playbook exit code $status), see above" >&2
    exit 1
fi
exec "${PYTHON:-python3}" "$here/plan-status.py" --drift "$PLAN_DIR"
