"""Process-automation triggers (REAL_API.md §10)."""

from flask import Blueprint

bp = Blueprint("triggers", __name__, url_prefix="/api/v2/processautomation/triggers")
flows_bp = Blueprint("flows", __name__, url_prefix="/api/v2/flows")
