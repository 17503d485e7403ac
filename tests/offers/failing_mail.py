"""An e-mail backend whose server refuses everything, to see failures recorded and shown."""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("SMTP refused the connection")
