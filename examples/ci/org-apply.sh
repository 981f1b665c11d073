#!/bin/sh
# Merge: apply exactly the plans the pull request showed (PLAN_DIR/<inventory host>.json). An org that
# changed since its plan was made, or a directory that changed, is refused before any write (exit code 2):
# run org-plan.sh again, review, merge.
set -eu
exec ansible-playbook -i "$INVENTORY" "${CONFIGURE_PLAYBOOK:-genesys.cloud.configure_org}" \
    -e "genesys_apply_plan=$PLAN_DIR/{{ inventory_hostname }}.json"
