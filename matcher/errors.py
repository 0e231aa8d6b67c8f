"""Generic Dutch error pages (HTML) and JSON errors under /api/; never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from matcher.accounts.access import is_api_request

MESSAGES = {
    400: (_l("Ongeldig verzoek"),
          _l("Het verzoek kon niet worden verwerkt. Controleer wat u invulde.")),
    401: (_l("Niet ingelogd"), _l("Log eerst in.")),
    403: (_l("Geen toegang"), _l("U heeft geen toegang tot deze pagina.")),
    404: (_l("Niet gevonden"), _l("Deze pagina bestaat niet (meer).")),
    405: (_l("Niet toegestaan"), _l("Deze actie is hier niet mogelijk.")),
    409: (_l("Conflict"),
          _l("Iemand anders heeft dit intussen gewijzigd. Probeer het opnieuw.")),
    413: (_l("Bestand te groot"), _l("Het bestand is te groot. Het maximum is 20 MB.")),
    429: (_l("Te veel pogingen"),
          _l("U heeft het te vaak geprobeerd. Wacht even en probeer het opnieuw.")),
    500: (_l("Er ging iets mis"), _l("Er ging bij ons iets mis. Probeer het later opnieuw.")),
}
ERROR_CODES = {400: "ongeldig-verzoek", 401: "niet-ingelogd", 403: "geen-toegang",
               404: "niet-gevonden", 405: "methode-niet-toegestaan", 409: "conflict",
               413: "te-groot", 429: "te-veel-verzoeken", 500: "serverfout"}


def error_response(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    title, text = str(title), str(message or default)
    if is_api_request():
        response = jsonify(error=ERROR_CODES.get(code, "fout"), message=text)
        response.status_code = code
        return response
    return render_template("errors/error.html", code=code, title=title, message=text), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, _("Het formulier is verlopen of ongeldig. Laad de pagina "
                                     "opnieuw en probeer het nog eens."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        return error_response(code if code in MESSAGES else 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("Unhandled error", exc_info=error)
        return error_response(InternalServerError.code)
