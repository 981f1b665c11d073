#!/bin/sh
# Pull-request job, after checking out the base branch (the working directory) and the pull request's head
# (HEAD_CHECKOUT, e.g. pr-head): replace the base branch's orgs/ with the pull request's orgs/, and take
# nothing else from it. HEAD_CHECKOUT is removed, so no later step can run a file of the pull request.
#   sh ci/take-pr-orgs.sh HEAD_CHECKOUT
# Refused (exit 1): a pull request whose orgs/ is a symbolic link or not a directory.
set -eu
head=${1:?usage: take-pr-orgs.sh HEAD_CHECKOUT}
if [ -L "$head/orgs" ] || [ ! -d "$head/orgs" ]; then
    echo "take-pr-orgs.sh: orgs/ of the pull request is not a directory (a symbolic link, or missing): refused" >&2
    exit 1
fi
rm -rf orgs
mv "$head/orgs" orgs
rm -rf "$head"
echo "take-pr-orgs.sh: orgs/ from the pull request; scripts, playbooks and inventory from the base branch"
