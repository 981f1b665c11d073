"""Task-management workitem schemas (REAL_API.md §9)."""

from flask import Blueprint

bp = Blueprint("workitems", __name__, url_prefix="/api/v2/taskmanagement/workitems/schemas")
