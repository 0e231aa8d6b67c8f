"""The public menukaart pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from matcher.accounts.access import public
from matcher.menukaart import queries
from matcher.reference.menukaart import VERSIONS

bp = Blueprint("menukaart", __name__, url_prefix="/menukaart")


@bp.route("/")
@public
def index():
    return render_template("menukaart/index.html", doelgebieden=queries.list_doelgebieden(),
                           not_effective=queries.list_not_effective(), versions=VERSIONS)


@bp.route("/<key>")
@public
def detail(key: str):
    try:
        intervention = queries.get_intervention(key)
    except queries.NotFound:
        abort(404)
    return render_template("menukaart/detail.html", intervention=intervention, versions=VERSIONS)
