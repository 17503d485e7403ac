"""A refusal shown to the person who filled the form: on the form, or as one message.

Services raise :class:`django.core.exceptions.ValidationError`, by field when they can
(``ValidationError({"rent": ...})``). A page that shows the form again puts each error on the field it names
when the form has that field, else at the top of the form, with its code and parameters kept
(:func:`add_service_errors`); a page that redirects says it in one message (:func:`service_error_text`, and
:func:`form_problems` for the form's own errors).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    field_for: Callable[[str], str | None] | None = None,
) -> None:
    """Put ``error`` on ``form``. ``field_for`` maps a name the service used to the form's field showing it
    (None: the form as a whole); by default a name the form has is its own field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    if field_for is None:
        fields = form.fields

        def field_for(name: str) -> str | None:
            return name if name in fields else None

    for name, errors in error.error_dict.items():
        form.add_error(field_for(name), errors)


def service_error_text(error: ValidationError) -> str:
    """A service's refusal as one message (every message, in order)."""
    return " ".join(error.messages)


def form_problems(form: forms.BaseForm) -> str:
    """A refused form as one message, each problem under the label its reader saw on the page."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        field = form.fields.get(name)
        parts.append(
            _("%(label)s: %(problem)s") % {"label": field.label, "problem": text}
            if field is not None and field.label
            else text
        )
    return " ".join(parts)
