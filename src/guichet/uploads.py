"""Upload limits: each upload field refuses a file above its kind's limit, with a message naming both sizes.

The limits (in MB) are settings (`GUICHET_UPLOAD_LIMITS`, from the environment): a CNIG file, a labour
file (zones, job seekers), a SIRENE stock file (large: INSEE ships the whole of France). Attachments and
photos have their own limit (`GUICHET_MAX_FILE_MB`, guichet.files). Django itself refuses form bodies above
`DATA_UPLOAD_MAX_MEMORY_SIZE` and streams files above `FILE_UPLOAD_MAX_MEMORY_SIZE` to disk.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MEGABYTE = 1024 * 1024


def upload_limit_bytes(kind: str) -> int:
    return int(settings.GUICHET_UPLOAD_LIMITS[kind]) * MEGABYTE


def check_upload_size(upload: Any, kind: str) -> None:
    """Raise a form error when `upload` (an UploadedFile) is larger than the limit for `kind`."""
    limit = upload_limit_bytes(kind)
    size = getattr(upload, "size", None) or 0
    if size > limit:
        raise forms.ValidationError(
            _("This file is %(size)s; the limit for this import is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


class LimitedFileField(forms.FileField):
    """A file field with the size limit of one kind of upload, shown in its help text."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        limit = format_lazy(
            _("At most {limit}."), limit=lazy(lambda: filesizeformat(upload_limit_bytes(kind)), str)()
        )
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = format_lazy("{} {}", help_text, limit) if help_text else limit
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload is not initial:
            check_upload_size(upload, self.kind)
        return upload

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["data-max-bytes"] = str(upload_limit_bytes(self.kind))
        return attrs
