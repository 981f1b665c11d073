#!/bin/sh
# Merge: apply exactly the plans the pull request showed (PLAN_DIR/<inventory host>.json). Exit codes:
#   0  every org's plan was applied (or had nothing to change)
#   1  anything else: an org or directory that changed since its plan (refused before any write: run
#      org-plan.sh again, review, merge), a missing plan, an unreachable API, a failed write
set -eu
status=0
ansible-playbook -i "$INVENTORY" "${CONFIGURE_PLAYBOOK:-genesys.cloud.configure_org}" \
    -e "genesys_apply_plan=$PLAN_DIR/{{ inventory_hostname }}.json" || status=$?
if [ "$status" -ne 0 ]; then
    echo "org-apply.sh: the apply failed (ansible-playbook exit code $status), see above" >&2
    exit 1
fi
