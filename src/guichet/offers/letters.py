"""The e-mails of a call for offers, as people read them: what happened, what to do on which page (its
absolute address), whom to contact (`notifications.letters`). Each function gives a subject and a body in
the active language; the services choose French, the interface's first language, and send them after
their transaction commits.

An authority's officers read of a project only its code name (never the company) and never who asked a
question: the texts below take nothing else.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guichet.catalogue.models import Authority
from guichet.notifications.letters import letter, site_url
from guichet.offers.models import CallForOffers, Clarification, DeadlineChange, Proposal

Mail = tuple[str, str]  # (subject, body)


def when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def call_page(call: CallForOffers, *, anchor: str = "") -> str:
    """The absolute address of the call's page (``anchor``: a part of it)."""
    return site_url(reverse("offers:call_detail", args=[call.public_id])) + (f"#{anchor}" if anchor else "")


def invitation(call: CallForOffers, authority: Authority, *, need: str = "") -> Mail:
    """``need``: the need the call published, line by line with each figure's origin."""
    return (
        _("Call for offers: %(title)s") % {"title": call.title},
        letter(
            happened=_(
                'The one-stop shop invites %(authority)s to answer the call for offers "%(title)s" '
                "(%(project)s). Proposals are expected before %(deadline)s."
            )
            % {
                "authority": authority.name,
                "title": call.title,
                "project": call.project.display_name,
                "deadline": when(call.deadline),
            }
            + ("\n\n" + need if need else ""),
            to_do=_("Read the brief and send your proposal on the call's page, signed in to Guichet:"),
            link=call_page(call),
            more=_(
                "If something in the brief is unclear, ask on the same page: the agency answers every "
                "question for all the consulted authorities, without saying who asked."
            ),
        ),
    )


def deadline_moved(call: CallForOffers, change: DeadlineChange) -> Mail:
    if change.reopened:
        subject = _("Call for offers reopened: %(title)s") % {"title": call.title}
        lead = _('The call for offers "%(title)s" is open again, until %(deadline)s.')
    else:
        subject = _("New deadline: %(title)s") % {"title": call.title}
        lead = _('The deadline of the call for offers "%(title)s" moves to %(deadline)s.')
    return (
        subject,
        letter(
            happened=(lead % {"title": call.title, "deadline": when(change.new_deadline)})
            + "\n\n"
            + _("Reason given by the one-stop shop: %(reason)s") % {"reason": change.reason},
            to_do=_("You can send or replace your proposal on the call's page until then:"),
            link=call_page(call),
        ),
    )


def closed_early(call: CallForOffers, change: DeadlineChange) -> Mail:
    return (
        _("Call for offers closed: %(title)s") % {"title": call.title},
        letter(
            happened=_(
                'Every consulted authority has answered the call for offers "%(title)s": the one-stop shop '
                "closed it on %(at)s, before its deadline of %(deadline)s."
            )
            % {
                "title": call.title,
                "at": when(change.new_deadline),
                "deadline": when(change.previous_deadline),
            }
            + "\n\n"
            + _("Reason given by the one-stop shop: %(reason)s") % {"reason": change.reason},
            to_do=_(
                "Your proposal is kept as you last sent it; the agency now compares the proposals and will "
                "tell you of its decision. Your receipts stay on the call's page:"
            ),
            link=call_page(call),
        ),
    )


def cancelled(call: CallForOffers) -> Mail:
    return (
        _("Call for offers cancelled: %(title)s") % {"title": call.title},
        letter(
            happened=_('The call for offers "%(title)s" is cancelled.') % {"title": call.title}
            + "\n\n"
            + _("Reason given by the one-stop shop: %(reason)s") % {"reason": call.cancel_reason},
            to_do=_("Nothing more is expected from you for this call. Its page keeps its history:"),
            link=call_page(call),
        ),
    )


def question_asked(call: CallForOffers, authority: Authority, question: str) -> Mail:
    """To the agency: who asked, and where to answer."""
    return (
        _("Question on the call for offers: %(title)s") % {"title": call.title},
        letter(
            happened=_('%(authority)s asks about the call for offers "%(title)s":')
            % {"authority": authority.name, "title": call.title}
            + "\n\n"
            + question,
            to_do=_(
                "Answer it on the call's page: the answer goes to every consulted authority, and you can "
                "reword the question there so that it names nobody."
            ),
            link=call_page(call, anchor="questions"),
            contact=False,
        ),
    )


def question_answered(call: CallForOffers, item: Clarification) -> Mail:
    return (
        _("Question and answer on the call for offers: %(title)s") % {"title": call.title},
        letter(
            happened=_(
                'A question was asked about the call for offers "%(title)s". The one-stop shop answers it '
                "for every consulted authority."
            )
            % {"title": call.title}
            + "\n\n"
            + _("Question: %(question)s") % {"question": item.published_question}
            + "\n\n"
            + _("Answer: %(answer)s") % {"answer": item.answer},
            to_do=_("Every question and answer of the call is on its page:"),
            link=call_page(call, anchor="questions"),
        ),
    )


def receipt(call: CallForOffers, proposal: Proposal, *, at: dt.datetime, chain: str = "") -> Mail:
    """``chain``: the paragraph on the signed head that covers the version (offers.chain)."""
    return (
        _("Receipt of your proposal: %(title)s") % {"title": call.title},
        letter(
            happened=_(
                "The one-stop shop received version %(version)s of your proposal to the call for offers "
                '"%(title)s" on %(at)s.'
            )
            % {"version": proposal.version, "title": call.title, "at": when(at)}
            + "\n\n"
            + _("Receipt (SHA-256 of the sealed content): %(digest)s") % {"digest": proposal.receipt_sha256},
            to_do=_(
                "Keep this receipt: it proves what you sent. The sealed content and the receipt, as a file "
                "and as a PDF that says how anyone can check it, are on the call's page:"
            ),
            link=call_page(call),
            more=_("You can replace your proposal until %(deadline)s; each version gets its own receipt.")
            % {"deadline": when(call.deadline)}
            + ("\n\n" + chain if chain else ""),
        ),
    )


def decision(call: CallForOffers) -> Mail:
    return (
        _("Decision on the call for offers: %(title)s") % {"title": call.title},
        letter(
            happened=_('The one-stop shop has decided the call for offers "%(title)s".')
            % {"title": call.title},
            to_do=_("The method, the weights and your own results are on the call's page:"),
            link=call_page(call),
        ),
    )
