"""Clarification questions through the API, as on the call's page: an officer of a consulted authority asks
while the call is open; the agency answers once, for every consulted authority, with the question reworded
if it would say who asked. Who reads what is ``offers.selectors.clarifications_visible_to``'s decision: the
agency every question with its asker and the wording it published; an authority the published questions
and answers, and its own questions still waiting."""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from guichet.accounts.types import Reader
from guichet.api.auth import AuthedRequest, agency_only, officer_only
from guichet.api.schemas import problems
from guichet.api.schemas_calls import AnswerIn, QuestionIn, QuestionOut
from guichet.offers import selectors, services
from guichet.offers.models import CallForOffers, Clarification
from guichet.offers.selectors import ClarificationView

agency = Router(tags=["agency: calls for offers"], auth=agency_only)
mine = Router(tags=["authority: my calls and proposals"], auth=officer_only)


def _call(user: Reader, id: uuid.UUID) -> CallForOffers:
    return get_object_or_404(selectors.calls_visible_to(user=user), public_id=id)


def _question_out(view: ClarificationView, *, agency_reader: bool) -> dict[str, Any]:
    return {
        "id": view.public_id,
        "question": view.question,
        "published_question": view.published_question,
        "answer": view.answer,
        "asked_at": view.asked_at,
        "answered_at": view.answered_at,
        "asked_by_authority": view.asked_by_authority if agency_reader else None,
        "asked_by_own_authority": view.asked_by_own_authority,
    }


def _questions(user: Reader, call: CallForOffers, *, agency_reader: bool) -> list[dict[str, Any]]:
    return [
        _question_out(view, agency_reader=agency_reader)
        for view in selectors.clarifications_visible_to(user=user, call=call)
    ]


@agency.get(
    "/calls/{id}/questions",
    response={200: list[QuestionOut], **problems(401, 403, 404, 422)},
    summary="Every question asked on a call, who asked it, and the wording published with its answer",
)
def calls_questions(request: AuthedRequest, id: uuid.UUID) -> list[dict[str, Any]]:
    return _questions(request.auth, _call(request.auth, id), agency_reader=True)


@agency.post(
    "/questions/{id}/answer",
    response={200: QuestionOut, **problems(401, 403, 404, 409, 422)},
    summary="Answer a question once, for every consulted authority, without naming who asked",
)
def questions_answer(request: AuthedRequest, id: uuid.UUID, payload: AnswerIn) -> dict[str, Any]:
    item = get_object_or_404(Clarification.objects.select_related("call"), public_id=id)
    services.clarification_answer(
        actor=request.auth,
        clarification=item,
        answer=payload.answer,
        published_question=payload.published_question,
    )
    views = selectors.clarifications_visible_to(user=request.auth, call=item.call)
    return _question_out(next(view for view in views if view.public_id == item.public_id), agency_reader=True)


@mine.get(
    "/calls/{id}/questions",
    response={200: list[QuestionOut], **problems(401, 403, 404, 422)},
    summary="The questions and answers published on a call sent to me, and my authority's waiting ones",
)
def my_calls_questions(request: AuthedRequest, id: uuid.UUID) -> list[dict[str, Any]]:
    return _questions(request.auth, _call(request.auth, id), agency_reader=False)


@mine.post(
    "/calls/{id}/questions",
    response={201: QuestionOut, **problems(401, 403, 404, 409, 422)},
    summary="Ask the agency about a call's brief while it is open; the answer goes to every consulted "
    "authority",
)
def my_calls_ask(request: AuthedRequest, id: uuid.UUID, payload: QuestionIn) -> Status[dict[str, Any]]:
    call = _call(request.auth, id)
    item = services.clarification_ask(actor=request.auth, call=call, question=payload.question)
    views = selectors.clarifications_visible_to(user=request.auth, call=call)
    view = next(view for view in views if view.public_id == item.public_id)
    return Status(201, _question_out(view, agency_reader=False))
