"""The mails accounts send: reset links, and notices after a change or repeated failures.

Links are built from PUBLIC_URL even inside a request: a link built from the request's Host
header would let anyone who asks a reset for someone else point that person's mail at a
host of their choosing, and collect the token there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from matcher import mail
from matcher.accounts.models import User

SIGNATURE = "\n\nMet vriendelijke groet,\nCultuurmatch\n"
NOT_YOU = ("Was u dit niet? Kies dan meteen een nieuw wachtwoord via \"Wachtwoord vergeten\" "
           "op de inlogpagina en neem contact op met de beheerder.")


def public_link(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, url_scheme=base.scheme,
                                       script_name=base.path or "/")
    return adapter.build(endpoint, values, force_external=True)


def send_reset_link(user: User, link: str, minutes: int) -> None:
    body = (f"Beste {user.name},\n\n"
            "Er is gevraagd om een nieuw wachtwoord voor uw account bij Cultuurmatch. Kies "
            f"een nieuw wachtwoord via deze link (één keer te gebruiken, {minutes} minuten "
            f"geldig):\n{link}\n\n"
            "Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft "
            "hetzelfde." + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Nieuw wachtwoord kiezen", body=body,
                    secrets=[link])


def send_password_changed(user: User) -> None:
    body = (f"Beste {user.name},\n\n"
            "Het wachtwoord van uw account bij Cultuurmatch is zojuist gewijzigd. Op andere "
            "apparaten bent u uitgelogd.\n\n" + NOT_YOU + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Uw wachtwoord is gewijzigd", body=body)


def send_repeated_failures(user: User, failures: int) -> None:
    body = (f"Beste {user.name},\n\n"
            f"Er is de afgelopen tijd {failures} keer zonder succes geprobeerd in te loggen op "
            "uw account bij Cultuurmatch. Uw account is niet geblokkeerd: met uw eigen "
            "wachtwoord komt u gewoon binnen. Wel wacht wie het nog eens probeert steeds "
            "langer.\n\n"
            "Was u dit zelf? Dan hoeft u niets te doen. Zo niet, kies dan een nieuw, lang "
            "wachtwoord dat u nergens anders gebruikt." + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Mislukte inlogpogingen op uw account", body=body)


def send_second_factor_changed(user: User, *, enabled: bool) -> None:
    what = ("is een tweede stap (een code uit een app) ingesteld" if enabled
            else "is de tweede stap uitgezet of gewist")
    body = (f"Beste {user.name},\n\n"
            f"Voor uw account bij Cultuurmatch {what}.\n\n" + NOT_YOU + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Tweede stap bij het inloggen gewijzigd", body=body)


def send_security_key_changed(user: User, *, name: str, added: bool) -> None:
    what = "toegevoegd aan" if added else "verwijderd van"
    body = (f"Beste {user.name},\n\n"
            f"De beveiligingssleutel '{name}' is {what} uw account bij Cultuurmatch.\n\n"
            + NOT_YOU + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Beveiligingssleutel gewijzigd", body=body)


def send_recovery_code_used(user: User, remaining: int) -> None:
    body = (f"Beste {user.name},\n\n"
            "Er is zojuist ingelogd op uw account bij Cultuurmatch met een herstelcode in "
            f"plaats van een code uit uw app. U heeft nog {remaining} herstelcode(s) over.\n\n"
            + NOT_YOU + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Ingelogd met een herstelcode", body=body)


def send_sign_up_link(user: User, link: str) -> None:
    body = (f"Beste {user.name},\n\n"
            "Welkom bij Cultuurmatch. Bevestig uw e-mailadres via deze link (één keer te "
            f"gebruiken, 48 uur geldig); daarna bent u meteen ingelogd:\n{link}\n\n"
            "Heeft u zich niet aangemeld? Dan kunt u deze e-mail negeren." + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Bevestig uw aanmelding bij Cultuurmatch",
                    body=body, secrets=[link])


def send_already_registered(user: User) -> None:
    body = (f"Beste {user.name},\n\n"
            "Iemand probeerde zich bij Cultuurmatch aan te melden met dit e-mailadres, maar u "
            "heeft al een account. Log gewoon in; wachtwoord kwijt? Kies op de inlogpagina "
            "\"Wachtwoord vergeten\".\n\nWas u dit niet? Dan hoeft u niets te doen."
            + SIGNATURE)
    mail.queue_mail(to=user.email, subject="U heeft al een account bij Cultuurmatch",
                    body=body)


def send_email_change_link(user: User, address: str, link: str) -> None:
    body = (f"Beste {user.name},\n\n"
            "U vroeg om dit e-mailadres voortaan te gebruiken voor uw account bij "
            f"Cultuurmatch. Bevestig dat via deze link (één keer, 48 uur geldig):\n{link}\n\n"
            "Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren." + SIGNATURE)
    mail.queue_mail(to=address, subject="Bevestig uw nieuwe e-mailadres", body=body,
                    secrets=[link])


def send_email_change_requested(user: User, address: str) -> None:
    body = (f"Beste {user.name},\n\n"
            f"Er is gevraagd om uw account bij Cultuurmatch over te zetten naar {address}. "
            "Dat gebeurt pas als de link in de e-mail aan dat adres wordt gevolgd.\n\n"
            + NOT_YOU + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Nieuw e-mailadres aangevraagd", body=body)


def send_email_changed(user: User, old_address: str) -> None:
    body = (f"Beste {user.name},\n\n"
            f"Uw account bij Cultuurmatch gebruikt voortaan {user.email}; dit adres "
            f"({old_address}) niet meer.\n\n" + NOT_YOU + SIGNATURE)
    mail.queue_mail(to=old_address, subject="Uw e-mailadres is gewijzigd", body=body)


def send_invitation(user: User, link: str) -> None:
    body = (f"Beste {user.name},\n\n"
            f"Er is een account voor u gemaakt bij Cultuurmatch ({user.role.label}, "
            f"{user.organisation.name}). Kies uw wachtwoord via deze link (één keer te "
            f"gebruiken, 48 uur geldig):\n{link}\n\n"
            "Daarna logt u in met dit e-mailadres en dat wachtwoord." + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Uw account bij Cultuurmatch", body=body,
                    secrets=[link])


def send_code_replayed(user: User) -> None:
    body = (f"Beste {user.name},\n\n"
            "Bij het inloggen op uw account bij Cultuurmatch is zojuist een code uit uw app "
            "gebruikt die al eerder was gebruikt. Dat lukt niet, maar het kan betekenen dat "
            "iemand uw wachtwoord kent en meekeek met uw code.\n\n"
            "Was u dit niet zelf (twee keer dezelfde code)? Kies dan meteen een nieuw "
            "wachtwoord." + SIGNATURE)
    mail.queue_mail(to=user.email, subject="Een inlogcode werd twee keer gebruikt", body=body)
