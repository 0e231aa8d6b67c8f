"""Pages of culture providers (sign-up, activities, import/export) and curators (review)."""

from __future__ import annotations

import json
from datetime import UTC

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from matcher import limits, matching
from matcher.accounts.access import allow, public
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.exchange import offers_to_document
from matcher.extensions import limiter
from matcher.reference.labels import label
from matcher.reference.menukaart import load_menukaart
from providers import jobs, links, participants, queries, services, spreadsheet
from providers.convert import activity_to_engine, provider_to_engine
from providers.forms import (
    ActivityForm,
    BulkApproveForm,
    DateForm,
    DoubtFilterForm,
    ImportForm,
    LinkDecisionForm,
    ParticipantsDecisionForm,
    ProviderReviewForm,
    SignUpForm,
    review_form,
    verdict_field_name,
)
from providers.importer import ImportRejected, import_offers, read_offers
from providers.models import REJECTION_REASONS, Activity, ActivityStatus, Provider
from providers.services import ProviderError

bp = Blueprint("providers", __name__)

STAFF = Role.PROVIDER_STAFF
REVIEWERS = (Role.CURATOR, Role.ADMINISTRATOR)
# Larger imports run in the background with a progress page.
SYNC_IMPORT_LIMIT = 2000


def _activity_or_404(activity_id: int) -> Activity:
    try:
        return queries.get_activity(current_user, activity_id)
    except queries.NotFound:
        abort(404)


def _own_provider() -> Provider | None:
    return queries.find_provider_of(current_user)


def _form_error(form, error: ProviderError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


# ------------------------------------------------------------------------------ sign-up


@bp.route("/aanbieders/aanmelden", methods=["GET", "POST"])
@public
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        signup_data = services.SignUp(
            name=form.name.data, kind=form.kind.data, gemeente=form.gemeente.data,
            serves=form.served(), email=form.email.data, website=form.website.data,
            contact_name=form.contact_name.data, phone=form.phone.data or "",
            user_name=form.user_name.data, user_email=form.user_email.data,
            password=form.password.data)
        try:
            services.register_provider(signup=signup_data)
        except ProviderError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            # The same answer whether the login address was new or known (no enumeration).
            flash(_("Bijna klaar: wij stuurden een e-mail naar %(email)s. Volg de link daarin "
                    "om uw aanmelding te bevestigen; daarna bent u ingelogd en voert u uw "
                    "aanbod in. Een curator beoordeelt uw organisatie.",
                    email=form.user_email.data.strip().lower()), "success")
            return redirect(url_for("accounts.login"))
    return render_template("providers/signup.html", form=form), 400 if form.errors else 200


# --------------------------------------------------------------------- provider's pages


@bp.route("/aanbieder")
@allow(STAFF)
def home():
    provider = _own_provider()
    activities = queries.provider_activities(provider) if provider else []
    return render_template("providers/home.html", provider=provider, activities=activities,
                           reasons=REJECTION_REASONS)


@bp.route("/aanbieder/activiteiten/nieuw", methods=["GET", "POST"])
@allow(STAFF)
def new_activity():
    provider = _own_provider()
    if provider is None:
        abort(404)
    form = ActivityForm()
    return _activity_form(form, provider=provider, activity=None)


@bp.route("/aanbieder/activiteiten/<int:activity_id>/bewerken", methods=["GET", "POST"])
@allow(STAFF)
def edit_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    form = ActivityForm()
    if request.method == "GET":
        form.fill_from(activity)
    return _activity_form(form, provider=activity.provider, activity=activity)


def _activity_form(form: ActivityForm, *, provider: Provider, activity: Activity | None):
    suggestions = []
    wants_suggestions = request.form.get("action") == "suggest"
    if request.method == "POST" or activity is not None:
        suggestions = services.suggest_interventions(fields=form.draft_fields(),
                                                     provider_key=provider.key)
    if not wants_suggestions and form.validate_on_submit():
        try:
            if activity is None:
                activity = services.create_activity(provider=provider, fields=form.fields(),
                                                    by=current_user)
                message = _("'%(title)s' is opgeslagen als concept.", title=activity.title)
            else:
                was = activity.status
                services.edit_activity(activity=activity, fields=form.fields(),
                                       by=current_user)
                message = _("'%(title)s' is opgeslagen.", title=activity.title)
                if was == ActivityStatus.APPROVED and activity.status != was:
                    message += " " + _("De wijziging wordt eerst door een curator beoordeeld.")
        except ProviderError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("providers.activity", activity_id=activity.id))
    claimed = set(form.interventions.data or [])
    shown = [s for s in suggestions if s.key not in claimed]
    code = 400 if form.errors and not wants_suggestions else 200
    reading = participants.read_text(form.draft_fields()) \
        if request.method == "POST" or activity is not None else None
    return render_template("providers/activity_form.html", form=form, activity=activity,
                           provider=provider, suggestions=shown, reading=reading,
                           menukaart=load_menukaart()), code


@bp.route("/aanbieder/activiteiten/<int:activity_id>")
@allow(STAFF, *REVIEWERS)
def activity(activity_id: int):
    found = _activity_or_404(activity_id)
    return _activity_page(found, DateForm(), is_staff=current_user.role == STAFF)


def _activity_page(activity: Activity, date_form: DateForm, *, is_staff: bool) -> str:
    return render_template("providers/activity.html", activity=activity, date_form=date_form,
                           menukaart=load_menukaart(), reasons=REJECTION_REASONS,
                           participants=participants.shown(activity),
                           notes=links.activity_notes(activity), is_staff=is_staff)


def _change(activity: Activity, to: ActivityStatus, message: str):
    try:
        services.change_status(activity=activity, to=to, by=current_user)
    except ProviderError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("providers.activity", activity_id=activity.id))


@bp.route("/aanbieder/activiteiten/<int:activity_id>/indienen", methods=["POST"])
@allow(STAFF)
def submit_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    return _change(found, ActivityStatus.SUBMITTED,
                   _("'%(title)s' is ingediend; een curator beoordeelt het.", title=found.title))


@bp.route("/aanbieder/activiteiten/<int:activity_id>/terugzetten", methods=["POST"])
@allow(STAFF)
def restore_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    return _change(found, ActivityStatus.DRAFT,
                   _("'%(title)s' is weer een concept.", title=found.title))


@bp.route("/aanbieder/activiteiten/<int:activity_id>/archiveren", methods=["POST"])
@allow(STAFF, *REVIEWERS)
def archive_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    return _change(found, ActivityStatus.ARCHIVED,
                   _("'%(title)s' is gearchiveerd; scholen zien het niet meer.", title=found.title))


@bp.route("/aanbieder/activiteiten/<int:activity_id>/dupliceren", methods=["POST"])
@allow(STAFF)
def duplicate_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    copy = services.duplicate_activity(activity=found, by=current_user)
    db.session.commit()
    flash(_("Kopie gemaakt: '%(title)s'. Pas haar aan en dien haar in.", title=copy.title),
          "success")
    return redirect(url_for("providers.edit_activity", activity_id=copy.id))


@bp.route("/aanbieder/activiteiten/<int:activity_id>/data", methods=["POST"])
@allow(STAFF)
def add_date(activity_id: int):
    found = _activity_or_404(activity_id)
    form = DateForm()
    if form.validate_on_submit():
        try:
            services.add_date(activity=found,
                              starts_at=form.starts_at.data.replace(tzinfo=UTC),
                              capacity=form.capacity.data)
        except ProviderError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("De datum is toegevoegd."), "success")
            return redirect(url_for("providers.activity", activity_id=found.id))
    return _activity_page(found, form, is_staff=True), 400


@bp.route("/aanbieder/activiteiten/<int:activity_id>/data/<int:date_id>/verwijderen",
          methods=["POST"])
@allow(STAFF)
def remove_date(activity_id: int, date_id: int):
    found = _activity_or_404(activity_id)
    try:
        activity_date = queries.get_activity_date(found, date_id)
    except queries.NotFound:
        abort(404)
    services.remove_date(activity_date=activity_date)
    db.session.commit()
    flash(_("De datum is verwijderd."), "success")
    return redirect(url_for("providers.activity", activity_id=found.id))


@bp.route("/aanbieder/suggesties", methods=["POST"])
@allow(STAFF, *REVIEWERS)
def suggest():
    """JSON for providers.js: the interventions the text typed so far points to."""
    form = ActivityForm()
    menukaart = load_menukaart()
    claimed = set(form.interventions.data or [])
    found = services.suggest_interventions(fields=form.draft_fields())
    return jsonify(suggestions=[
        {"key": s.key, "name": menukaart.get(s.key).name, "confidence": s.confidence,
         "triggers": list(s.triggers)} for s in found if s.key not in claimed])


# ------------------------------------------------------------------ import and export


def _import_status() -> ActivityStatus:
    """Provider staff's uploads wait for a curator; a curator's or administrator's count."""
    return ActivityStatus.SUBMITTED if current_user.role == STAFF else ActivityStatus.APPROVED


def _unapproved_provider() -> bool:
    """Provider staff whose organisation a curator has not approved yet: a sign-up that
    anyone can make, so its imports are smaller and fewer (limits.UNAPPROVED_*)."""
    if current_user.role != STAFF:
        return False
    provider = _own_provider()
    return provider is None or not provider.approved


def _import_key() -> str:
    return f"import:{current_user.get_id()}"


@bp.route("/aanbieder/importeren", methods=["GET", "POST"])
@allow(STAFF, *REVIEWERS)
@limiter.limit(limits.UNAPPROVED_IMPORT_RATE, key_func=_import_key, methods=["POST"],
               exempt_when=lambda: not _unapproved_provider())
def import_offers_page():
    provider = _own_provider() if current_user.role == STAFF else None
    if current_user.role == STAFF and provider is None:
        abort(404)
    form = ImportForm()
    issues: list = []
    caps = limits.UNAPPROVED_CAPS if _unapproved_provider() else limits.WEB_CAPS
    if form.validate_on_submit():
        upload = form.file.data
        try:
            # Never more than the cap is read: a larger file is refused, not held.
            content = upload.read(caps.max_bytes + 1)
            offers = read_offers(content, upload.filename or "", caps)
            if len(offers.activities) > current_app.config.get("PROVIDERS_SYNC_IMPORT_LIMIT",
                                                               SYNC_IMPORT_LIMIT):
                job = jobs.start_import(current_app._get_current_object(), offers=offers,
                                        by=current_user, status=_import_status(),
                                        approve_providers=current_user.role != STAFF)
                return redirect(url_for("providers.import_progress", job_id=job.id))
            summary = import_offers(offers=offers, by=current_user,
                                    status=_import_status(),
                                    approve_providers=current_user.role != STAFF)
        except ImportRejected as error:
            db.session.rollback()
            issues = error.issues
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Import klaar: %(summary)s", summary=summary.text()), "success")
            return redirect(url_for("providers.home" if current_user.role == STAFF
                                    else "providers.queue"))
    code = 400 if form.errors or issues else 200
    return render_template("providers/import.html", form=form, issues=issues, caps=caps,
                           unapproved=_unapproved_provider(),
                           max_size=limits.size_text(caps.max_bytes),
                           per_hour=limits.UNAPPROVED_IMPORTS_PER_HOUR,
                           columns=spreadsheet.ACTIVITY_COLUMNS,
                           provider_columns=spreadsheet.PROVIDER_COLUMNS), code


@bp.route("/aanbieder/importeren/<job_id>")
@allow(STAFF, *REVIEWERS)
def import_progress(job_id: str):
    job = jobs.find_job(job_id, current_user)
    if job is None:
        abort(404)
    if request.args.get("formaat") == "json":
        return jsonify(job.to_dict())
    return render_template("providers/import_progress.html", job=job)


@bp.route("/aanbieder/sjabloon.<fmt>")
@allow(STAFF, *REVIEWERS)
def template(fmt: str):
    if fmt == "xlsx":
        return Response(spreadsheet.template_xlsx(), headers={
            "Content-Disposition": "attachment; filename=cultuurmatch-sjabloon.xlsx"},
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "csv":
        return Response(spreadsheet.template_csv(), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition":
                                 "attachment; filename=cultuurmatch-sjabloon.csv"})
    abort(404)


@bp.route("/aanbieder/exporteren")
@allow(STAFF, *REVIEWERS)
def export_offers():
    """Provider staff: their own offer; curators: their region's; administrators: all."""
    provider = None
    if current_user.role == STAFF:
        provider = _own_provider()
        if provider is None:
            abort(404)
    providers, activities = queries.offers_for_export(current_user, provider=provider)
    keys = {p.id: p.key for p in providers}
    document = offers_to_document([provider_to_engine(p) for p in providers],
                                  [activity_to_engine(a, keys[a.provider_id])
                                   for a in activities])
    name = f"aanbod-{provider.key}.json" if provider else "aanbod.json"
    return Response(json.dumps(document, ensure_ascii=False, indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


# -------------------------------------------------------------------------- curators


@bp.route("/curator")
@allow(*REVIEWERS)
def queue():
    activities = queries.review_queue(current_user)
    form = BulkApproveForm()
    form.activity_ids.choices = [SelectChoice(a.id, a.title) for a in activities]
    return render_template("providers/queue.html", activities=activities, form=form,
                           providers=queries.pending_providers(current_user))


@bp.route("/curator/goedkeuren", methods=["POST"])
@allow(*REVIEWERS)
def bulk_approve():
    ids = request.form.getlist("activity_ids")
    count = services.approve_many(activities=queries.activities_by_ids(current_user, ids),
                                  by=current_user)
    db.session.commit()
    if count:
        flash(ngettext("%(num)d activiteit goedgekeurd.", "%(num)d activiteiten goedgekeurd.",
                       count), "success")
    else:
        flash(_("Kies eerst de activiteiten die u wilt goedkeuren."), "error")
    return redirect(url_for("providers.queue"))


def _links(activity: Activity) -> tuple[list[str], dict, dict]:
    """Every intervention claimed, suggested by the engine's judgement or decided by a
    curator; what the text says per key; the engine's notes on the claims."""
    judged = matching.links_of(activity)
    known = load_menukaart().keys
    keys = list(dict.fromkeys([*activity.interventions,
                               *(k for k in judged.suggested() if k in known),
                               *activity.verified_interventions,
                               *activity.dropped_interventions]))
    inferred = {i.key: i for i in judged.inferences}
    return keys, inferred, links.claim_notes(judged, activity.interventions)


@bp.route("/curator/activiteiten/<int:activity_id>", methods=["GET", "POST"])
@allow(*REVIEWERS)
def review_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    menukaart = load_menukaart()
    keys, inferred, notes = _links(found)
    names = {k: (menukaart.get(k).name if menukaart.get(k) else k) for k in keys}
    form = review_form(keys, names)
    if request.method == "GET":
        for key in keys:
            field = form[verdict_field_name(key)]
            field.data = ("bevestigd" if key in found.verified_interventions else
                          "geschrapt" if key in found.dropped_interventions else "")
    if form.validate_on_submit():
        verdicts = {k: form[verdict_field_name(k)].data for k in keys}
        decision = request.form.get("decision", "opslaan")
        try:
            services.set_intervention_verdicts(
                activity=found, verified=[k for k, v in verdicts.items() if v == "bevestigd"],
                dropped=[k for k, v in verdicts.items() if v == "geschrapt"])
            if decision == "goedkeuren":
                services.change_status(activity=found, to=ActivityStatus.APPROVED,
                                       by=current_user, note=form.note.data or "")
                message = _("'%(title)s' is goedgekeurd; scholen zien het nu.", title=found.title)
            elif decision == "afwijzen":
                services.change_status(activity=found, to=ActivityStatus.REJECTED,
                                       by=current_user, reason=form.reason.data or None,
                                       note=form.note.data or "")
                message = _("'%(title)s' is afgewezen; de aanbieder ziet de reden.",
                            title=found.title)
            else:
                message = _("Uw oordeel over de koppelingen is opgeslagen.")
        except ProviderError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            if decision == "opslaan":
                return redirect(url_for("providers.review_activity", activity_id=found.id))
            return redirect(url_for("providers.queue"))
    return render_template("providers/review.html", activity=found, form=form, keys=keys,
                           inferred=inferred, notes=notes, names=names,
                           verdict_name=verdict_field_name,
                           participants=participants.shown(found),
                           decision_form=ParticipantsDecisionForm()), 400 if form.errors else 200


@bp.route("/curator/activiteiten/<int:activity_id>/voor-wie", methods=["POST"])
@allow(*REVIEWERS)
def decide_participants(activity_id: int):
    """One click: confirm who the activity is for, or choose another value."""
    found = _activity_or_404(activity_id)
    form = ParticipantsDecisionForm()
    if not form.validate_on_submit():
        flash(_("Kies leerlingen, het team of leerlingen samen met hun ouders."), "error")
        return redirect(url_for("providers.review_activity", activity_id=found.id))
    try:
        services.decide_participants(activity=found, value=form.participants.data,
                                     by=current_user)
    except ProviderError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Vastgelegd: '%(title)s' is voor %(who)s.", title=found.title,
                who=str(label(found.participants)).lower()), "success")
    return redirect(url_for("providers.review_activity", activity_id=found.id))


@bp.route("/curator/koppelingen")
@allow(*REVIEWERS)
def doubts():
    """The queue of doubtful links: claims the engine discounts, fits nobody claimed."""
    form = DoubtFilterForm(request.args)
    if not form.validate():
        return render_template("providers/doubts.html", form=form, page=None), 400
    page = links.doubt_page(current_user, kind=form.kind.data or None,
                            intervention=form.intervention.data or None,
                            page=form.page.data or 1)
    return render_template("providers/doubts.html", form=form, page=page,
                           filters=form.filters(), menukaart=load_menukaart())


@bp.route("/curator/koppelingen/<int:activity_id>/<key>", methods=["POST"])
@allow(*REVIEWERS)
def decide_link(activity_id: int, key: str):
    """One click in the queue: confirm or drop one link, then back to the same page."""
    found = _activity_or_404(activity_id)
    intervention = load_menukaart().get(key)
    if intervention is None:
        abort(404)
    form = LinkDecisionForm()
    back = DoubtFilterForm(request.args)
    back_to = url_for("providers.doubts", **(
        {**back.filters(), "page": back.page.data or 1} if back.validate() else {}))
    if not form.validate_on_submit():
        flash(_("Bevestig de koppeling of laat haar vallen."), "error")
        return redirect(back_to)
    verify = form.verdict.data == "bevestigd"
    services.decide_link(activity=found, key=key, verify=verify)
    db.session.commit()
    name = intervention.name
    flash(_("Koppeling bevestigd: '%(title)s' vult %(name)s.", title=found.title, name=name)
          if verify else
          _("Koppeling laten vallen: '%(title)s' telt niet meer voor %(name)s.",
            title=found.title, name=name), "success")
    return redirect(back_to)


@bp.route("/curator/aanbieders/<int:provider_id>", methods=["GET", "POST"])
@allow(*REVIEWERS)
def review_provider(provider_id: int):
    try:
        provider = queries.get_provider(current_user, provider_id)
    except queries.NotFound:
        abort(404)
    form = ProviderReviewForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "goedkeuren"
        try:
            services.review_provider(provider=provider, approve=approve,
                                     note=form.note.data or "", by=current_user)
        except ProviderError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is goedgekeurd.", name=provider.name) if approve
                  else _("%(name)s is afgewezen.", name=provider.name), "success")
            return redirect(url_for("providers.queue"))
    return render_template("providers/review_provider.html", provider=provider, form=form,
                           activities=queries.provider_activities(provider)), \
        400 if form.errors else 200
