"""The life of a call, run to its end: deadlines extended and reopened, cancelling, questions answered for
everyone, e-mails that say what became of them, the offers side by side, the investor's choice and the
signature that takes the premises off the market."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.catalogue.models import Authority, Incentive, Premises, PremisesStatus
from guichet.notifications.models import DeliveryStatus, Notification, NotificationKind
from guichet.offers import evaluation, selectors, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, CallPhase, CallStatus, DossierAccess, Proposal
from guichet.projects.dashboard import DashboardFilters, dashboard_figures
from guichet.projects.selectors import project_needs
from guichet.projects.services import project_move

from ..scene import close_call

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(
    user: User, call: CallForOffers, premises: Premises, rent: str, *, area: int = 2500, **extra: Any
) -> Proposal:
    return services.proposal_submit(
        actor=user, call=call, offers=[OfferTerms(premises.pk, area, Decimal(rent))], **extra
    )


@pytest.fixture
def reachable(alice: User, bob: User) -> None:
    """Each authority is reached through its officer only (no contact address)."""
    alice.email, bob.email = "alice@besancon.example", "bob@belfort.example"
    alice.save()
    bob.save()
    Authority.objects.update(contact_email="")


@pytest.fixture
def opened(
    agnes: User, call: CallForOffers, reachable: None, django_capture_on_commit_callbacks: Any
) -> CallForOffers:
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call)
    mail.outbox.clear()
    call.refresh_from_db()
    return call


def test_the_status_follows_the_clock(opened: CallForOffers, agnes: User, alice: User) -> None:
    assert opened.phase == CallPhase.OPEN and opened.accepts_proposals
    close_call(opened)
    assert opened.status == CallStatus.OPEN  # nothing stored went stale...
    assert opened.phase == CallPhase.CLOSED and not opened.accepts_proposals  # ...the phase follows the time
    for user in (agnes, alice):
        page = logged_in(user).get(reverse("offers:call_detail", args=[opened.public_id])).content.decode()
        assert "Clos\u00a0: propositions en cours d&#x27;examen" in page
        assert "Ouvert aux propositions" not in page


def test_extending_the_deadline_needs_a_reason_and_tells_every_consulted_authority(
    opened: CallForOffers, agnes: User, django_capture_on_commit_callbacks: Any
) -> None:
    later = opened.deadline + dt.timedelta(days=7)
    with pytest.raises(ValidationError):
        services.call_change_deadline(actor=agnes, call=opened, new_deadline=later, reason=" ")
    with pytest.raises(ValidationError):
        services.call_change_deadline(
            actor=agnes, call=opened, new_deadline=opened.deadline - dt.timedelta(days=1), reason="plus tôt"
        )
    with django_capture_on_commit_callbacks(execute=True):
        change = services.call_change_deadline(
            actor=agnes, call=opened, new_deadline=later, reason="Visite des locaux reportée"
        )
    opened.refresh_from_db()
    assert opened.deadline == later and not change.reopened
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@besancon.example", "bob@belfort.example"]
    assert all("Visite des locaux reportée" in m.body for m in mail.outbox)
    assert all(m.subject.startswith("Nouvelle date limite") for m in mail.outbox)
    assert AuditEvent.objects.filter(action="extend", object_id=str(opened.pk)).exists()


def test_a_closed_call_reopens_only_with_a_new_deadline(
    opened: CallForOffers, agnes: User, alice: User, temis: Premises, django_capture_on_commit_callbacks: Any
) -> None:
    close_call(opened)
    with pytest.raises(ValidationError):
        answer(alice, opened, temis, "90")
    with django_capture_on_commit_callbacks(execute=True):
        change = services.call_change_deadline(
            actor=agnes,
            call=opened,
            new_deadline=timezone.now() + dt.timedelta(days=3),
            reason="Une offre de plus",
        )
    opened.refresh_from_db()
    assert change.reopened and opened.phase == CallPhase.OPEN
    assert {n.kind for n in Notification.objects.filter(call=opened)} >= {NotificationKind.CALL_REOPENED}
    assert answer(alice, opened, temis, "90").version == 1


def test_a_call_closes_early_once_every_consulted_authority_has_answered(
    opened: CallForOffers,
    agnes: User,
    alice: User,
    bob: User,
    temis: Premises,
    technhom: Premises,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.GUICHET_SITE_URL = "https://guichet.example.org"
    deadline = opened.deadline
    answer(alice, opened, temis, "90")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.call_close_early(actor=agnes, call=opened, reason="Tout le monde a répondu")
    assert refused.value.messages == [
        "Grand Belfort has not answered yet: the call closes early only once every consulted authority has "
        "answered."
    ]
    answer(bob, opened, technhom, "85")
    with pytest.raises(PermissionDenied):
        services.call_close_early(actor=alice, call=opened, reason="Je suis pressée")
    with pytest.raises(ValidationError) as refused:
        services.call_close_early(actor=agnes, call=opened, reason="  ")
    assert list(refused.value.error_dict) == ["reason"]
    assert selectors.proposals_readable_by(user=agnes, call=opened).count() == 0  # still sealed
    with django_capture_on_commit_callbacks(execute=True):
        change = services.call_close_early(
            actor=agnes, call=opened, reason="Les deux collectivités ont répondu."
        )
    opened.refresh_from_db()
    assert change.closed_early and not change.reopened and change.previous_deadline == deadline
    assert opened.deadline == change.new_deadline <= timezone.now()
    assert opened.status == CallStatus.OPEN and opened.phase == CallPhase.CLOSED
    assert (
        selectors.proposals_readable_by(user=agnes, call=opened).count() == 2
    )  # readable as after a deadline
    with pytest.raises(ValidationError):
        answer(alice, opened, temis, "80")  # frozen
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@besancon.example", "bob@belfort.example"]
    for message in mail.outbox:
        assert message.subject == "Appel à offres clos\u00a0: Aurore — appel à offres"
        assert "Les deux collectivités ont répondu." in message.body
        assert f"https://guichet.example.org/calls/{opened.public_id}/" in message.body
    assert {n.kind for n in Notification.objects.filter(call=opened)} >= {NotificationKind.CALL_CLOSED_EARLY}
    assert AuditEvent.objects.filter(action="close_early", object_id=str(opened.pk)).count() == 1
    with pytest.raises(ValidationError):
        services.call_close_early(actor=agnes, call=opened, reason="Encore")
    page = logged_in(agnes).get(reverse("offers:call_detail", args=[opened.public_id])).content.decode()
    assert "Clos avant la date limite le" in page and "Les deux collectivités ont répondu." in page
    # Closed early, it can be reopened like any closed call.
    services.call_change_deadline(
        actor=agnes, call=opened, new_deadline=timezone.now() + dt.timedelta(days=2), reason="Une précision"
    )
    opened.refresh_from_db()
    assert opened.phase == CallPhase.OPEN


def test_the_agency_page_offers_the_early_close_only_when_everyone_has_answered(
    opened: CallForOffers, agnes: User, alice: User, bob: User, temis: Premises, technhom: Premises
) -> None:
    detail = reverse("offers:call_detail", args=[opened.public_id])
    close = reverse("offers:call_close", args=[opened.public_id])
    answer(alice, opened, temis, "90")
    page = logged_in(agnes).get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Still waiting for Grand Belfort." in page and f'action="{close}"' not in page
    # Posted anyway, the service refuses it and the page says why.
    response = logged_in(agnes).post(close, {"reason": "Pressée"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Grand Belfort has not answered yet" in response.content.decode()
    answer(bob, opened, technhom, "85")
    page = logged_in(agnes).get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Still waiting" not in page and f'action="{close}"' in page
    assert logged_in(alice).post(close, {"reason": "Moi aussi"}).status_code == 403
    response = logged_in(agnes).post(close, {"reason": "Tout le monde a répondu."})
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.phase == CallPhase.CLOSED
    assert logged_in(agnes).get(reverse("offers:call_offers", args=[opened.public_id])).status_code == 200


def test_a_call_with_a_live_dossier_link_does_not_reopen_and_a_dossier_never_shows_a_stale_render(
    opened: CallForOffers, agnes: User, alice: User, temis: Premises
) -> None:
    from guichet.offers.dossier import _cache_key

    proposal = answer(alice, opened, temis, "90")
    close_call(opened)
    link, _token = services.dossier_link_create(actor=agnes, call=opened, shortlist=[proposal])
    key = _cache_key(link, "html")

    def reopen() -> Any:
        return services.call_change_deadline(
            actor=agnes, call=opened, new_deadline=timezone.now() + dt.timedelta(days=3), reason="Une de plus"
        )

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        reopen()
    assert "dossier link sent to the investor is still live: revoke it" in str(refused.value)
    opened.refresh_from_db()
    assert opened.phase == CallPhase.CLOSED and not opened.deadline_changes.exists()
    # The call's page says why, in a message, never a 500.
    page = logged_in(agnes).post(
        reverse("offers:call_deadline", args=[opened.public_id]),
        {
            "new_deadline": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "x",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert "still live: revoke it before reopening" in page.content.decode()

    services.dossier_link_revoke(actor=agnes, link=link)
    assert reopen().reopened
    answer(alice, opened, temis, "80", expected_version=1)
    close_call(opened)
    link.refresh_from_db()
    assert _cache_key(link, "html") != key  # a new sealed version, a new render


def test_a_cancelled_call_takes_no_proposal_and_tells_why(
    opened: CallForOffers, agnes: User, alice: User, temis: Premises, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.call_cancel(actor=agnes, call=opened, reason="L'investisseur renonce")
    opened.refresh_from_db()
    assert opened.phase == CallPhase.CANCELLED
    assert len(mail.outbox) == 2 and all("L'investisseur renonce" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        answer(alice, opened, temis, "90")
    with pytest.raises(ValidationError):
        services.call_cancel(actor=agnes, call=opened, reason="encore")


def test_opening_warns_of_authorities_no_e_mail_reaches(
    agnes: User, call: CallForOffers, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    alice.email = "alice@besancon.example"
    alice.save()
    Authority.objects.update(contact_email="")
    page = logged_in(agnes).get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
    assert "Grand Belfort" in page.split("Aucune adresse")[1][:500]
    with pytest.raises(ValidationError) as refused:
        services.call_open(actor=agnes, call=call)
    assert "Grand Belfort" in str(refused.value) and "Grand Besançon" not in str(refused.value)
    assert CallForOffers.objects.get(pk=call.pk).status == CallStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call, unreachable_confirmed=True)
    statuses = {n.authority.name: n.status for n in Notification.objects.filter(call=call)}
    assert statuses == {
        "Grand Besançon Métropole": DeliveryStatus.SENT,
        "Grand Belfort": DeliveryStatus.NO_ADDRESS,
    }
    page = logged_in(agnes).get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
    assert "Pas d&#x27;adresse électronique" in page and "Envoyé" in page


def test_nothing_is_sent_for_a_change_that_is_rolled_back(
    agnes: User, call: CallForOffers, reachable: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.call_open(actor=agnes, call=call)
        raise RuntimeError("the request fails after the service")
    assert mail.outbox == [] and not Notification.objects.exists()
    assert CallForOffers.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_a_failed_delivery_is_recorded_and_shown(
    agnes: User, call: CallForOffers, reachable: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.offers.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call)
    failed = Notification.objects.filter(call=call, status=DeliveryStatus.FAILED)
    assert failed.count() == 2 and "SMTP refused" in failed.first().error  # type: ignore[union-attr]
    page = logged_in(agnes).get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
    assert "Échec" in page and "SMTP refused" in page
    # The mail server is back: the agency sends the failed ones again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(agnes).post(reverse("offers:call_resend", args=[call.public_id]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@besancon.example", "bob@belfort.example"]
    assert not Notification.objects.filter(call=call, status=DeliveryStatus.FAILED).exists()


def test_questions_are_answered_once_for_all_without_naming_who_asked(
    opened: CallForOffers, agnes: User, alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        question = services.clarification_ask(
            actor=alice, call=opened, question="Grand Besançon demande : le parking est-il inclus ?"
        )
    assert mail.outbox == []  # the agency has no address here: recorded, not lost
    assert Notification.objects.get(kind=NotificationKind.QUESTION_ASKED).status == DeliveryStatus.NO_ADDRESS
    # Before the answer, Bob sees nothing of Alice's question; Alice sees hers.
    assert selectors.clarifications_visible_to(user=bob, call=opened) == []
    assert [q.question for q in selectors.clarifications_visible_to(user=alice, call=opened)] == [
        question.question
    ]
    bob_page = logged_in(bob).get(reverse("offers:call_detail", args=[opened.public_id])).content.decode()
    assert "parking" not in bob_page
    with pytest.raises(PermissionDenied):
        services.clarification_answer(actor=bob, clarification=question, answer="oui")
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(
            actor=agnes,
            clarification=question,
            published_question="Le parking est-il inclus dans le loyer ?",
            answer="Oui, 150 places sont incluses.",
        )
    for officer in (alice, bob):
        page = logged_in(officer).get(reverse("offers:call_detail", args=[opened.public_id])).content.decode()
        assert "Le parking est-il inclus dans le loyer ?" in page and "150 places sont incluses" in page
        assert "Grand Besançon demande" not in page
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@besancon.example", "bob@belfort.example"]
    assert all("Grand Besançon demande" not in m.body for m in mail.outbox)


def test_the_agency_sees_the_wording_it_published(
    opened: CallForOffers, agnes: User, alice: User, bob: User
) -> None:
    asked = services.clarification_ask(actor=alice, call=opened, question="Grand Besançon : parking inclus ?")
    kept = services.clarification_ask(actor=alice, call=opened, question="Le site est-il fibré ?")
    services.clarification_answer(
        actor=agnes, clarification=asked, published_question="Le parking est-il inclus ?", answer="Oui."
    )
    services.clarification_answer(actor=agnes, clarification=kept, answer="Oui, deux opérateurs.")
    views = {view.question: view for view in selectors.clarifications_visible_to(user=agnes, call=opened)}
    assert views["Grand Besançon : parking inclus ?"].published_question == "Le parking est-il inclus ?"
    assert views["Le site est-il fibré ?"].published_question == "Le site est-il fibré ?"
    page = logged_in(agnes).get(
        reverse("offers:call_detail", args=[opened.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "Published as</strong> (reworded): Le parking est-il inclus ?" in text
    assert "Published as</strong> (as asked): Le site est-il fibré ?" in text
    # Bob reads the published wording only.
    bob_page = logged_in(bob).get(reverse("offers:call_detail", args=[opened.public_id])).content.decode()
    assert "Le parking est-il inclus ?" in bob_page and "Grand Besançon : parking" not in bob_page


def test_the_choice_list_selects_nothing_until_the_agency_picks(
    opened: CallForOffers, agnes: User, alice: User, bob: User, temis: Premises, technhom: Premises
) -> None:
    answer(alice, opened, temis, "90")
    answer(bob, opened, technhom, "70")
    close_call(opened)
    services.call_decide(actor=agnes, call=opened, weights=evaluation.call_weights(call=opened))
    detail = reverse("offers:call_detail", args=[opened.public_id])
    page = logged_in(agnes).get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    select = page[
        page.index('<select name="choice"') : page.index("</select>", page.index('<select name="choice"'))
    ]
    options = re.findall(r"<option value=\"([^\"]*)\"( selected)?>([^<]*)</option>", select)
    # Only the empty first option is selected: a careless click chooses nothing.
    marked = [(value, selected) for value, selected, _label in options if selected or not value]
    assert marked == [("", " selected")]
    # In the published ranking's order, each with its rank.
    ranked = [label for value, _selected, label in options if value]
    assert [label.rsplit("rank ", 1)[1] for label in ranked] == ["1", "2"]
    response = logged_in(agnes).post(reverse("offers:call_choose", args=[opened.public_id]), {"choice": ""})
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.chosen_at is None


def test_a_question_reaches_each_agency_address_once(
    opened: CallForOffers, agnes: User, alice: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from guichet.accounts.models import Role

    settings.GUICHET_AGENCY_EMAIL = "guichet@agence.example"
    agnes.email = "GUICHET@agence.example"  # she reads the shared box
    agnes.save()
    User.objects.create_user("anne", email="anne@agence.example", role=Role.AGENCY)
    User.objects.create_user("ancien", email="ancien@agence.example", role=Role.AGENCY, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_ask(actor=alice, call=opened, question="Le parking est-il inclus ?")
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@agence.example", "guichet@agence.example"]


def test_the_sender_gets_its_receipt_by_e_mail(
    opened: CallForOffers, alice: User, temis: Premises, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        proposal = answer(alice, opened, temis, "90")
    assert [m.to for m in mail.outbox] == [["alice@besancon.example"]]
    assert proposal.receipt_sha256 in mail.outbox[0].body


def test_the_agency_reads_the_offers_side_by_side_as_sealed(
    opened: CallForOffers,
    agnes: User,
    alice: User,
    bob: User,
    temis: Premises,
    technhom: Premises,
    besancon_grant: Incentive,
) -> None:
    answer(alice, opened, temis, "90", incentive_ids=[besancon_grant.pk], free_text="Navette gratuite")
    answer(bob, opened, technhom, "85")
    url = reverse("offers:call_offers", args=[opened.public_id])
    assert logged_in(agnes).get(url).status_code == 302  # sealed until the deadline
    assert logged_in(alice).get(url).status_code == 403
    close_call(opened)
    Premises.objects.filter(pk=temis.pk).update(rent_eur_m2_year=Decimal(1))  # after the deadline
    page = logged_in(agnes).get(url).content.decode()
    assert "Navette gratuite" in page and "Techn&#x27;hom 7" in page
    assert "2 500" in page.replace("\u202f", " ").replace("\xa0", " ")  # the area offered, not the building
    assert "catalogue 95,00" in page and "(-5,00)" in page  # the rent offered against the published one
    jobs = round(project_needs(project=opened.project).jobs_at_full_ramp)
    spaced = page.replace("\u202f", " ").replace("\xa0", " ")
    assert f"{2000 * jobs:,} EUR".replace(",", " ") in spaced  # the grant valued for the project's jobs


def test_the_decision_closes_the_loop_on_the_chosen_premises(
    opened: CallForOffers,
    agnes: User,
    alice: User,
    bob: User,
    temis: Premises,
    technhom: Premises,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The investor's choice is reserved on the call (the agency and the owning authority see it); the
    public offer changes only at the signature, and the portal's cached search follows at once. Temis
    offered its whole area: the signature lets it."""
    first = answer(alice, opened, temis, "90", area=3000)
    answer(bob, opened, technhom, "85")
    close_call(opened)
    services.call_decide(actor=agnes, call=opened, weights=evaluation.call_weights(call=opened))
    search = reverse("portal:premises_search")
    assert "Temis Center" in client.get(search).content.decode()  # cached under the catalogue's version
    services.call_choose_offer(actor=agnes, call=opened, proposal=first, premises_id=temis.pk)
    temis.refresh_from_db()
    assert temis.status == PremisesStatus.AVAILABLE
    public = client.get(reverse("portal:premises_detail", args=[temis.pk])).content.decode()
    assert "Sous option" not in public and "Disponible" in public
    detail = reverse("offers:call_detail", args=[opened.public_id])
    with translation.override("en"):
        english = {"HTTP_ACCEPT_LANGUAGE": "en"}
        assert (
            "Temis Center is reserved for this project"
            in logged_in(agnes).get(detail, **english).content.decode()
        )
        assert "The investor chose Temis Center" in logged_in(alice).get(detail, **english).content.decode()
        assert "The investor chose" not in logged_in(bob).get(detail, **english).content.decode()
        space = reverse("catalogue:space")
        assert "Reserved by the call for offers" in logged_in(alice).get(space, **english).content.decode()
        assert "Reserved by the call for offers" not in logged_in(bob).get(space, **english).content.decode()
    with pytest.raises(ValidationError):
        services.call_choose_offer(actor=agnes, call=opened, proposal=first, premises_id=technhom.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.call_confirm_signature(actor=agnes, call=opened)
    temis.refresh_from_db()
    assert temis.status == PremisesStatus.LET
    assert client.get(reverse("portal:premises_detail", args=[temis.pk])).status_code == 404
    assert "Temis Center" not in client.get(search).content.decode()
    assert logged_in(alice).get(reverse("catalogue:space")).status_code == 200


def test_the_signature_takes_up_the_area_offered_and_leaves_the_rest_on_offer(
    opened: CallForOffers,
    agnes: User,
    alice: User,
    temis: Premises,
    project: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Temis (3,000 m²) offered 2,500 m²: the signature records 2,500 m² taken up on the project (the
    dashboard's floor area) and leaves 500 m² on the public offer, which a second call can take."""
    first = answer(alice, opened, temis, "90")
    close_call(opened)
    services.call_decide(actor=agnes, call=opened, weights=evaluation.call_weights(call=opened))
    services.call_choose_offer(actor=agnes, call=opened, proposal=first, premises_id=temis.pk)
    version = Premises.objects.get(pk=temis.pk).version
    with django_capture_on_commit_callbacks(execute=True):
        services.call_confirm_signature(actor=agnes, call=opened)
    temis.refresh_from_db()
    assert (temis.status, temis.available_area_m2, temis.total_area_m2) == (
        PremisesStatus.AVAILABLE,
        500,
        3000,
    )
    assert temis.version == version + 1
    project.refresh_from_db()
    assert (project.stage, project.floor_area_taken_m2, project.chosen_premises_id) == ("won", 2500, temis.pk)
    event = AuditEvent.objects.get(action="signature", object_id=str(opened.pk))
    assert (event.details["area_m2"], event.details["area_left_m2"]) == (2500, 500)
    public = client.get(reverse("portal:premises_detail", args=[temis.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert public.status_code == 200 and "500" in public.content.decode()
    year = timezone.localdate().year
    board = dashboard_figures(filters=DashboardFilters(year_from=year, year_to=year))
    assert board.totals["floor_area_m2"] == 2500  # the board's "floor area taken up"
    detail = reverse("offers:call_detail", args=[opened.public_id])
    page = logged_in(agnes).get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "for 2,500 m² of Temis Center" in page and "Its other 500 m² stay on the public offer." in page
    # Another call's offer of 2,500 m² no longer fits in the 500 m² left.
    other = services.call_create(
        actor=agnes,
        project=project,
        title="Aurore bis",
        brief="Second appel",
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    # 500 m² are too few for the project: Besançon is no longer eligible, the agency adds it by hand.
    services.call_include_authority(actor=agnes, call=other, authority=temis.owner)
    services.call_open(actor=agnes, call=other)
    second = answer(alice, other, temis, "88", area=500)
    close_call(other)
    services.call_decide(actor=agnes, call=other, weights=evaluation.call_weights(call=other))
    services.call_choose_offer(actor=agnes, call=other, proposal=second, premises_id=temis.pk)
    services.call_confirm_signature(actor=agnes, call=other)
    temis.refresh_from_db()
    assert (temis.status, temis.available_area_m2) == (PremisesStatus.LET, 0)
    project.refresh_from_db()
    assert project.floor_area_taken_m2 == 2500  # recorded by the first signature, kept


def test_a_project_marked_won_by_hand_gets_the_area_at_the_signature(
    opened: CallForOffers, agnes: User, alice: User, temis: Premises, project: Any
) -> None:
    first = answer(alice, opened, temis, "90")
    close_call(opened)
    services.call_decide(actor=agnes, call=opened, weights=evaluation.call_weights(call=opened))
    services.call_choose_offer(actor=agnes, call=opened, proposal=first, premises_id=temis.pk)
    project_move(actor=agnes, project=project, stage="won", note="Décision annoncée par l'investisseur")
    services.call_confirm_signature(actor=agnes, call=opened)
    project.refresh_from_db()
    assert (project.floor_area_taken_m2, project.chosen_premises_id) == (2500, temis.pk)


def test_a_premises_reserved_by_one_call_cannot_be_chosen_in_another(
    opened: CallForOffers, agnes: User, alice: User, temis: Premises, project: Any
) -> None:
    first = answer(alice, opened, temis, "90", area=3000)
    close_call(opened)
    services.call_decide(actor=agnes, call=opened, weights=evaluation.call_weights(call=opened))
    services.call_choose_offer(actor=agnes, call=opened, proposal=first, premises_id=temis.pk)
    other = services.call_create(
        actor=agnes,
        project=project,
        title="Aurore bis",
        brief="Second appel",
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    services.call_open(actor=agnes, call=other)
    second = answer(alice, other, temis, "88")
    close_call(other)
    services.call_decide(actor=agnes, call=other, weights=evaluation.call_weights(call=other))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.call_choose_offer(actor=agnes, call=other, proposal=second, premises_id=temis.pk)
    assert 'already reserved by the call for offers "Aurore' in str(error.value)
    # Once the first call is signed the premises is let: the second call can neither choose it nor sign it.
    services.call_confirm_signature(actor=agnes, call=opened)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.call_choose_offer(actor=agnes, call=other, proposal=second, premises_id=temis.pk)
    assert "Temis Center is no longer on offer (Let or sold)." in str(error.value)
    CallForOffers.objects.filter(pk=other.pk).update(chosen_proposal=second, chosen_premises=temis)
    other.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.call_confirm_signature(actor=agnes, call=other)
    assert "no longer on offer" in str(error.value)
    assert other.signed_at is None and not CallForOffers.objects.get(pk=other.pk).signed_at


def test_each_dossier_link_shows_when_it_was_opened_and_what_was_downloaded(
    opened: CallForOffers, agnes: User, alice: User, temis: Premises, client: Client
) -> None:
    proposal = answer(alice, opened, temis, "90")
    close_call(opened)
    with pytest.raises(ValidationError):
        services.dossier_link_create(actor=agnes, call=opened, shortlist=[])
    link, token = services.dossier_link_create(actor=agnes, call=opened, shortlist=[proposal])
    client.get(reverse("offers:dossier", args=[token]))
    client.get(reverse("offers:dossier_xlsx", args=[token]))
    assert list(DossierAccess.objects.filter(link=link).values_list("what", flat=True)) == ["page", "xlsx"]
    # Each read is in the audit trail too, as the link holder's (not the system's), as a read.
    reads = AuditEvent.objects.filter(object_type="offers.dossierlink", object_id=str(link.pk)).exclude(
        action="dossier_link"
    )
    assert [(e.action, e.actor_label, e.details) for e in reads.order_by("pk")] == [
        ("dossier_page", "dossier link", {"read": True, "what": "page"}),
        ("dossier_xlsx", "dossier link", {"read": True, "what": "xlsx"}),
    ]
    page = logged_in(agnes).get(reverse("offers:call_detail", args=[opened.public_id])).content.decode()
    assert "page ouverte" in page and "tableur téléchargé" in page


def test_the_agency_finds_calls_in_the_admin(opened: CallForOffers, agnes: User) -> None:
    from guichet.accounts.models import Role
    from guichet.accounts.services import user_set_role

    user_set_role(user=agnes, role=Role.AGENCY)
    client = logged_in(agnes)
    listing = client.get(reverse("admin:offers_callforoffers_changelist"))
    assert listing.status_code == 200 and opened.title in listing.content.decode()
    assert client.get(reverse("admin:offers_callforoffers_change", args=[opened.pk])).status_code == 200
    assert client.get(reverse("admin:offers_callforoffers_add")).status_code == 403


def test_a_new_link_is_rendered_ahead_and_a_missing_pdf_is_prepared_off_the_request(
    opened: CallForOffers,
    agnes: User,
    alice: User,
    temis: Premises,
    client: Client,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.cache import caches

    from guichet.offers.dossier import _cache_key

    proposal = answer(alice, opened, temis, "90")
    close_call(opened)
    with django_capture_on_commit_callbacks(execute=True):
        link, token = services.dossier_link_create(actor=agnes, call=opened, shortlist=[proposal])
    renders = caches["renders"]
    for language in ("fr", "en"):
        with translation.override(language):
            assert renders.get(_cache_key(link, "pdf")).startswith(b"%PDF")
            assert "Temis Center" in renders.get(_cache_key(link, "html"))
    page = client.get(reverse("offers:dossier", args=[token])).content.decode()
    assert "dossier-token-placeholder" not in page and "Temis Center" in page
    assert client.get(reverse("offers:dossier_pdf", args=[token])).content.startswith(b"%PDF")
    # With the render gone and a queue whose worker has not run yet, the reader is asked to come back.
    renders.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    waiting = client.get(reverse("offers:dossier_pdf", args=[token]))
    assert waiting.status_code == 202 and waiting["Retry-After"] == "3"
    assert '<meta http-equiv="refresh" content="3">' in waiting.content.decode()
    assert list(DossierAccess.objects.filter(link=link).values_list("what", flat=True)) == ["page", "pdf"]


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_call_page_reads_links_accesses_and_officers_in_a_fixed_number_of_queries(
    agnes: User, alice: User, bob: User, call: CallForOffers, temis: Premises, technhom: Premises
) -> None:
    from guichet.accounts.models import Role
    from guichet.catalogue.models import AuthorityKind

    page = logged_in(agnes)
    url = reverse("offers:call_detail", args=[call.public_id])
    # A draft: the page checks which consulted authority no e-mail reaches, officer by officer.
    page.get(url)
    draft = _queries(page, url)
    for index in range(3):
        authority = Authority.objects.create(name=f"Commune {index}", kind=AuthorityKind.COMMUNE)
        User.objects.create_user(
            f"officer{index}", email=f"o{index}@example.org", role=Role.OFFICER, authority=authority
        )
        services.call_include_authority(actor=agnes, call=call, authority=authority)
    assert _queries(page, url) == draft

    services.call_open(actor=agnes, call=call, unreachable_confirmed=True)
    proposal = answer(alice, call, temis, "90")
    answer(bob, call, technhom, "85")
    close_call(call)
    link, _token = services.dossier_link_create(actor=agnes, call=call, shortlist=[proposal])
    services.dossier_access_record(link=link, what="page")
    page.get(url)
    one_link = _queries(page, url)
    for _ in range(3):
        more, _token = services.dossier_link_create(actor=agnes, call=call, shortlist=[proposal])
        services.dossier_access_record(link=more, what="page")
        services.dossier_access_record(link=more, what="xlsx")
    assert _queries(page, url) == one_link


def test_the_dossier_workbook_draws_no_chart(
    opened: CallForOffers,
    agnes: User,
    alice: User,
    bob: User,
    temis: Premises,
    technhom: Premises,
    monkeypatch: Any,
) -> None:
    from openpyxl import load_workbook

    from guichet.offers import dossier

    proposals = [answer(alice, opened, temis, "90"), answer(bob, opened, technhom, "85")]
    close_call(opened)
    link, _token = services.dossier_link_create(actor=agnes, call=opened, shortlist=proposals)

    def no_drawing(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the workbook drew a picture it does not show")

    for name in ("cost_chart", "offers_map", "_score_chart"):
        monkeypatch.setattr(dossier, name, no_drawing)

    workbook = load_workbook(io.BytesIO(dossier.dossier_xlsx(link=link)))
    names = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert "Temis Center" in names and "Techn'hom 7" in names
