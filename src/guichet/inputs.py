"""Inputs as a lawyer reads them: one set of rules for every form and every API schema.

- A number is written with the ASCII digits 0 to 9 (signs, the decimal point or the French decimal comma,
  which every number field takes, spaces between thousands allowed): Python would read "٩٥"
  (Arabic-Indic) or "９５" (full width) as 95, and a sealed proposal would hold a figure its author may not
  have read as one. Refused, naming the field. A number
  field never takes true or false either (JSON's `true` is 1 to Python).
- A required text is not blank: a name of spaces only is refused.
- A date lies between 1900-01-01 and 2100-12-31 (`DATE_MIN`, `DATE_MAX`): year 1 or 9999 is a typing
  error, and some databases and spreadsheets do not hold it.
- `expected_version` (optimistic locking in the API) is a JSON integer: not a string, not a boolean.

Forms take the rules by listing `StrictInputs` first among their bases; the API's schemas by deriving
from `StrictSchema` (guichet.api.schemas imports it as `Schema`).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from annotated_types import MinLen
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ValidationInfo, field_validator

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# Besides ASCII digits: signs, decimal point or comma, exponent, and the spaces French writes between
# thousands (no-break and narrow no-break), which localized fields remove.
NUMBER_CHARACTERS = frozenset("0123456789+-.,eE \t\u00a0\u202f")
STRICT_INTEGER_FIELDS = frozenset({"expected_version"})


def ascii_number(text: str) -> bool:
    return all(character in NUMBER_CHARACTERS for character in text)


def number_message(label: str) -> str:
    return _("%(field)s: write the number with the digits 0 to 9.") % {"field": label}


def date_message(label: str) -> str:
    return _("%(field)s: give a date between %(min)s and %(max)s.") % {
        "field": label,
        "min": DATE_MIN.isoformat(),
        "max": DATE_MAX.isoformat(),
    }


def blank_message(label: str) -> str:
    return _("%(field)s: this cannot be blank.") % {"field": label}


def date_in_range(value: dt.date | dt.datetime) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return DATE_MIN <= day <= DATE_MAX


# --- forms -----------------------------------------------------------------------------------------------


def _ascii_to_python(field: forms.Field, label: str) -> Callable[[Any], Any]:
    original = field.to_python
    # A field that is not localized reads "95,50" as nothing: the French decimal comma is taken as a point.
    decimal_comma = isinstance(field, forms.DecimalField | forms.FloatField) and not field.localize

    def to_python(value: Any) -> Any:
        if isinstance(value, str) and not ascii_number(value):
            raise ValidationError(number_message(label), code="ascii_digits")
        if decimal_comma and isinstance(value, str) and value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
        return original(value)

    return to_python


def _date_validator(label: str) -> Callable[[Any], None]:
    def validate(value: Any) -> None:
        if value is not None and not date_in_range(value):
            raise ValidationError(date_message(label), code="date_range")

    return validate


def _not_blank_validator(label: str) -> Callable[[Any], None]:
    def validate(value: Any) -> None:
        if isinstance(value, str) and not value.strip():
            raise ValidationError(blank_message(label), code="blank")

    return validate


def harden_field(name: str, field: forms.Field) -> None:
    if getattr(field, "strict_inputs", False):
        return
    field.strict_inputs = True  # type: ignore[attr-defined]
    label = str(field.label or name.replace("_", " ").capitalize())
    if isinstance(field, forms.IntegerField):  # DecimalField and FloatField derive from it
        field.to_python = _ascii_to_python(field, label)  # type: ignore[method-assign,assignment]
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators = [*field.validators, _date_validator(label)]
    elif isinstance(field, forms.CharField) and field.required:
        field.validators = [*field.validators, _not_blank_validator(label)]


class StrictInputs:
    """First among a form's bases: its number, date and required text fields follow the house rules
    (fields a form adds in its own __init__ included: they are hardened when the form is cleaned)."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            harden_field(name, field)
        super().full_clean()  # type: ignore[misc]


# --- API schemas -----------------------------------------------------------------------------------------

_NUMBERS = (int, float, Decimal)


def _base_types(annotation: Any) -> set[Any]:
    """The plain types an annotation admits: Optional, unions and Annotated unwrapped."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _base_types(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        found: set[Any] = set()
        for item in typing.get_args(annotation):
            found |= _base_types(item)
        return found
    return {annotation}


class StrictSchema(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _as_a_lawyer_reads_it(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None or value is None:
            return value
        kinds = _base_types(field.annotation)
        numeric = any(kind in _NUMBERS for kind in kinds) and str not in kinds
        if info.field_name in STRICT_INTEGER_FIELDS and type(value) is not int:
            raise ValueError("an integer is expected (not a string, not true or false)")
        if numeric and isinstance(value, bool):
            raise ValueError("a number is expected, not true or false")
        if numeric and isinstance(value, str) and not ascii_number(value):
            raise ValueError("write the number with the digits 0 to 9")
        required_text = any(isinstance(item, MinLen) and item.min_length >= 1 for item in field.metadata)
        if isinstance(value, str) and str in kinds and required_text and not value.strip():
            raise ValueError("this cannot be blank")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _dates_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dt.date) and not date_in_range(value):
            raise ValueError(f"give a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}")
        return value
