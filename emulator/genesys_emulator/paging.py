"""The contract's paging: pageSize/pageNumber parsing and the page envelope."""

import math
from urllib.parse import urlencode

from flask import request

from .errors import ApiError


def _int_param(name, default):
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip(), 10)
    except ValueError:
        raise ApiError(400, "invalid.page.size", "%s must be an integer, not %r." % (name, raw))


def page_params(max_size):
    size = _int_param("pageSize", 25)
    number = _int_param("pageNumber", 1)
    if size < 1 or size > max_size:
        raise ApiError(400, "invalid.page.size", "pageSize must be between 1 and %d." % max_size)
    if number < 1:
        raise ApiError(400, "invalid.page.size", "pageNumber must be 1 or more.")
    return size, number


def page(items, max_size, extra_query=None, render=None):
    """Slice `items` (already in their stable order) into the page the request asks for; with
    `render`, the page's entities are `render(item)` (so only one page is ever rendered)."""
    size, number = page_params(max_size)
    total = len(items)
    page_count = math.ceil(total / size)
    entities = items[(number - 1) * size: number * size]
    if render is not None:
        entities = [render(item) for item in entities]

    def uri(page_number):
        query = dict(extra_query or {})
        query.update(pageSize=size, pageNumber=page_number)
        return "%s?%s" % (request.path, urlencode(query))

    body = {
        "entities": entities,
        "pageSize": size,
        "pageNumber": number,
        "total": total,
        "pageCount": page_count,
        "selfUri": uri(number),
    }
    if number < page_count:
        body["nextUri"] = uri(number + 1)
    return body
