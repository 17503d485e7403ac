"""The e-mails of a call, as officers and the agency read them: in French, with a greeting, what happened,
what to do on which page (its absolute address), whom to contact and a signature; never a command to run,
never the company's name, never "Projet Projet"."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Premises
from guichet.notifications.models import Notification, NotificationKind
from guichet.offers import evaluation, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers
from guichet.projects.models import Project

pytestmark = pytest.mark.django_db

SITE = "https://guichet.example.org"


@pytest.fixture
def agency(settings: Any) -> None:
    settings.GUICHET_SITE_URL = SITE + "/"  # a trailing slash is not doubled
    settings.GUICHET_AGENCY_NAME = "AD Bourgogne-Franche-Comté"
    settings.GUICHET_AGENCY_EMAIL = "guichet@ad-bfc.example"
    settings.GUICHET_AGENCY_PHONE = "03 81 00 00 00"


@pytest.fixture
def reachable(alice: User, bob: User) -> None:
    alice.email, bob.email = "alice@besancon.example", "bob@belfort.example"
    alice.save()
    bob.save()
    Authority.objects.update(contact_email="")


def test_every_e_mail_of_a_call_speaks_to_people_and_links_to_its_page(
    agency: None,
    reachable: None,
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    technhom: Premises,
    django_capture_on_commit_callbacks: Any,
) -> None:
    page = f"{SITE}/calls/{call.public_id}/"
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call)
        question = services.clarification_ask(actor=alice, call=call, question="Le parking est-il compris ?")
        services.clarification_answer(
            actor=agnes,
            clarification=question,
            answer="Oui.",
            published_question="Le parking est-il inclus ?",
        )
        services.call_change_deadline(
            actor=agnes, call=call, new_deadline=call.deadline + dt.timedelta(days=2), reason="Visites"
        )
        for officer, premises in ((alice, temis), (bob, technhom)):
            services.proposal_submit(
                actor=officer, call=call, offers=[OfferTerms(premises.pk, 2500, Decimal(90))]
            )
        services.call_close_early(actor=agnes, call=call, reason="Tout le monde a répondu.")
        services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    kinds = {n.kind for n in Notification.objects.filter(call=call)}
    assert kinds == {
        NotificationKind.CALL_OPENED,
        NotificationKind.QUESTION_ASKED,
        NotificationKind.QUESTION_ANSWERED,
        NotificationKind.DEADLINE_EXTENDED,
        NotificationKind.RECEIPT,
        NotificationKind.CALL_CLOSED_EARLY,
        NotificationKind.DECISION,
    }
    # The agency's own question alert went to its shared address; all the others to the two officers.
    assert len(mail.outbox) == 2 * 6 + 1
    for message in mail.outbox:
        body = message.body
        assert body.startswith("Bonjour,\n\n"), body
        assert body.endswith("Bien cordialement,\nAD Bourgogne-Franche-Comté\n"), body
        assert page in body or f"{page}#questions" in body, body
        assert "`" not in body and "guichet receipt" not in body and "Projet Projet" not in body
        assert "Acme" not in body + message.subject  # the company stays behind its code name
        if message.to == ["guichet@ad-bfc.example"]:
            assert "Pour toute question" not in body  # the agency does not write to itself for help
        else:
            assert (
                "Pour toute question, contactez AD Bourgogne-Franche-Comté\u00a0: guichet@ad-bfc.example "
                "ou 03 81 00 00 00." in body
            ), body
    invitation = next(m for m in mail.outbox if m.subject.startswith("Appel à offres\u00a0: "))
    assert "(Projet Aurore). Les propositions sont attendues avant le " in invitation.body
    receipt = next(m for m in mail.outbox if m.subject.startswith("Accusé de réception"))
    assert "vérifier" in receipt.body


def test_a_cancelled_call_tells_why_and_where_its_history_stays(
    agency: None, reachable: None, agnes: User, call: CallForOffers, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.call_cancel(actor=agnes, call=call, reason="L'investisseur renonce.")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "L'investisseur renonce." in message.body
        assert f"{SITE}/calls/{call.public_id}/" in message.body


def test_without_a_configured_contact_the_e_mail_still_says_whom_to_turn_to(
    settings: Any, reachable: None, agnes: User, call: CallForOffers, django_capture_on_commit_callbacks: Any
) -> None:
    settings.GUICHET_SITE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call)
    body = mail.outbox[0].body
    assert f"http://127.0.0.1:8000/calls/{call.public_id}/" in body  # the demo's address
    assert "Pour toute question, contactez l’agence régionale de développement, qui anime ce guichet" in body
    assert body.endswith("Bien cordialement,\nL’agence régionale de développement\n")


def test_a_code_name_that_says_projet_is_not_prefixed_again(agnes: User, project: Project) -> None:
    """The fixture's code name is "Projet Aurore"."""
    assert project.display_name == "Projet Aurore"
    project.code_name = "Zéphyr"
    assert project.display_name == "Projet Zéphyr"
    project.code_name = "project Borée"
    assert project.display_name == "project Borée"
    project.code_name = "Projets d'avenir"  # another word: still prefixed
    assert project.display_name == "Projet Projets d'avenir"


def test_the_call_page_names_the_project_once(agnes: User, call: CallForOffers, client: Any) -> None:
    client.force_login(agnes)
    page = client.get(f"/calls/{call.public_id}/").content.decode()
    assert "<strong>Projet Aurore</strong>" in page and not re.search(r"Projet\s*(<[^>]+>)?\s*Projet", page)


def test_the_deadline_e_mail_names_the_new_date(
    agency: None, reachable: None, agnes: User, call: CallForOffers, django_capture_on_commit_callbacks: Any
) -> None:
    services.call_open(actor=agnes, call=call)
    later = timezone.make_aware(dt.datetime(2031, 3, 14, 18, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.call_change_deadline(actor=agnes, call=call, new_deadline=later, reason="Visites reportées")
    body = mail.outbox[-1].body
    assert (
        "14 mars 2031 18:00" in body and "Motif donné par le guichet unique\u00a0: Visites reportées" in body
    )
