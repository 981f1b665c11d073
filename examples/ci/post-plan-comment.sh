#!/bin/sh
# Pull-request job: post the Markdown plans of PLAN_DIR as ONE comment per environment, updated in place on
# every push. The comment is found by its first line, MARKER (a hidden HTML comment naming the environment),
# among the comments of the workflow's own user (BOT_LOGIN, default github-actions[bot]); without one, a
# new comment is made. Needs gh (with GH_TOKEN), GITHUB_REPOSITORY, PR_NUMBER, ENVIRONMENT_NAME and
# PLAN_EXIT (the exit code of org-plan.sh).
set -eu
marker="<!-- genesys.cloud org plan: $ENVIRONMENT_NAME -->"
case "$PLAN_EXIT" in
    0) verdict="no changes" ;;
    2) verdict="changes pending: review the plan below; merging applies exactly it" ;;
    *) verdict="the preview failed (a refused change or an error): see the job's log" ;;
esac
body=$(mktemp)
{
    printf '%s\n## Genesys Cloud plan, %s: %s\n\n' "$marker" "$ENVIRONMENT_NAME" "$verdict"
    for plan in "$PLAN_DIR"/*.md; do
        if [ -f "$plan" ]; then cat "$plan"; printf '\n'; fi
    done
} > "$body"
if [ "$(wc -c < "$body")" -gt 60000 ]; then  # GitHub takes at most 65,536 characters
    size=$(wc -c < "$body")
    printf '%s\n## Genesys Cloud plan, %s: %s\n\nThe plans (%s bytes) are too long for a comment: see the artifact org-plans-%s of this run.\n' \
        "$marker" "$ENVIRONMENT_NAME" "$verdict" "$size" "$ENVIRONMENT_NAME" > "$body"
fi
comments="repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments"
ids=$(gh api --paginate "$comments" --jq ".[] | select(.user.login == \"${BOT_LOGIN:-github-actions[bot]}\") \
    | select(.body | startswith(\"$marker\")) | .id")  # a failed search stops here (set -e), no duplicate
existing=$(printf '%s\n' "$ids" | head -n 1)
if [ -n "$existing" ]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body" > /dev/null
    echo "post-plan-comment.sh: updated comment $existing"
else
    gh api --method POST "$comments" -F "body=@$body" > /dev/null
    echo "post-plan-comment.sh: posted a new comment"
fi
rm -f "$body"
