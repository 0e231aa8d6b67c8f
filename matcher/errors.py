"""Generic Dutch error pages (HTML) and JSON errors under /api/; never a stack trace.

Every status keeps its own code: one this table does not know (a 418 from a library) is
answered with its own code and the generic text of its class (4xx or 5xx), never as a 500.
"""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from matcher import limits
from matcher.accounts.access import is_api_request
from matcher.transitions import TransitionRefused

MESSAGES = {
    400: (_l("Ongeldig verzoek"),
          _l("Het verzoek kon niet worden verwerkt. Controleer wat u invulde.")),
    401: (_l("Niet ingelogd"), _l("Log eerst in.")),
    403: (_l("Geen toegang"), _l("U heeft geen toegang tot deze pagina.")),
    404: (_l("Niet gevonden"), _l("Deze pagina bestaat niet (meer).")),
    405: (_l("Niet toegestaan"), _l("Deze actie is hier niet mogelijk.")),
    409: (_l("Conflict"),
          _l("Iemand anders heeft dit intussen gewijzigd. Probeer het opnieuw.")),
    413: (_l("Te groot"), None),  # the message names this endpoint's maximum
    415: (_l("Soort inhoud niet ondersteund"),
          _l("Deze soort inhoud wordt hier niet aangenomen. Stuur JSON (application/json) "
             "naar de API, of gebruik het formulier op de pagina.")),
    422: (_l("Niet te verwerken"),
          _l("Het verzoek is goed ontvangen, maar de inhoud klopt niet. Controleer wat u "
             "invulde of meestuurde.")),
    429: (_l("Te veel pogingen"),
          _l("U heeft het te vaak geprobeerd. Wacht even en probeer het opnieuw.")),
    500: (_l("Er ging iets mis"), _l("Er ging bij ons iets mis. Probeer het later opnieuw.")),
    503: (_l("Even niet beschikbaar"),
          _l("Cultuurmatch is even niet beschikbaar (onderhoud of drukte). Probeer het over "
             "een paar minuten opnieuw.")),
}
# Statuses without a line above get the text of their class.
CLASS_MESSAGES = {4: (_l("Ongeldig verzoek"),
                      _l("Het verzoek kon niet worden verwerkt. Controleer wat u invulde.")),
                  5: MESSAGES[500]}
ERROR_CODES = {400: "ongeldig-verzoek", 401: "niet-ingelogd", 403: "geen-toegang",
               404: "niet-gevonden", 405: "methode-niet-toegestaan", 409: "conflict",
               413: "te-groot", 415: "soort-niet-ondersteund", 422: "niet-te-verwerken",
               429: "te-veel-verzoeken", 500: "serverfout", 503: "niet-beschikbaar"}


def _texts(code: int) -> tuple[str, str]:
    title, default = MESSAGES.get(code) or CLASS_MESSAGES.get(code // 100, MESSAGES[500])
    if code == 413:
        default = limits.too_large_message(limits.body_limit_here())
    return str(title), str(default)


def error_response(code: int, message: str | None = None):
    title, default = _texts(code)
    text = str(message or default)
    if is_api_request():
        response = jsonify(error=ERROR_CODES.get(code, "fout"), message=text)
        response.status_code = code
        return response
    return render_template("errors/error.html", code=code, title=title, message=text), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(TransitionRefused)
    def transition_refused(error: TransitionRefused):
        # A status change no transition allows, wherever it was tried: a 409 in Dutch.
        from matcher.db import db

        db.session.rollback()
        return error_response(409, str(error))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, _("Het formulier is verlopen of ongeldig. Laad de pagina "
                                     "opnieuw en probeer het nog eens."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code < 400:  # a redirect raised as an exception (RequestRedirect) is no error
            return error.get_response()
        # abort(400, "why") carries its own Dutch reason; werkzeug's English ones do not.
        reason = getattr(error, "dutch_message", None)
        response = make_response(error_response(code, reason))
        # A 503 says when to come back (the match index still starting: matcher/matching.py).
        retry_after = dict(error.get_headers()).get("Retry-After")
        if retry_after:
            response.headers["Retry-After"] = retry_after
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("Unhandled error", exc_info=error)
        return error_response(InternalServerError.code)
