"""The JSON API, /api/v1 (spec section 5). Stateless: no cookies needed, so no CSRF token."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from matcher import matching
from matcher.accounts.access import public
from matcher.api.openapi import openapi_document
from matcher.api.serializers import activity_json
from matcher.catalogue.params import ParamError, ParamErrors
from matcher.catalogue.search import read_search_query, run_search
from matcher.exchange import ExchangeError, load_json_text, parse_request, to_engine_request
from matcher.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_MATCH_LIMIT = 100


def _bad_request(payload: dict):
    response = jsonify(payload)
    response.status_code = 400
    return response


@bp.route("/match", methods=["POST"])
@public
@limiter.limit("120 per minute")
def match():
    try:
        document = parse_request(load_json_text(request.get_data(as_text=True)))
    except ExchangeError as error:
        return _bad_request(error.to_dict())
    limit = request.args.get("limit", "10")
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_MATCH_LIMIT:
        error = ParamError("?limit", _("Kies een getal van 1 tot en met %(max)d.",
                                       max=MAX_MATCH_LIMIT))
        return _bad_request(ParamErrors([error]).to_dict())
    engine_request = to_engine_request(document)
    matches = matching.match(engine_request, limit=int(limit))
    return jsonify(matching.matches_to_json(engine_request.key, matches))


@bp.route("/activities")
@public
@limiter.limit("300 per minute")
def activities():
    try:
        query = read_search_query(request.args)
    except ParamErrors as error:
        return _bad_request(error.to_dict())
    page = run_search(query)
    return jsonify({
        "total": page.total,
        "page": query.page,
        "per_page": query.per_page,
        "pages": page.pages,
        "facets": page.facets,
        "activities": [activity_json(a) for a in page.activities],
    })


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())
