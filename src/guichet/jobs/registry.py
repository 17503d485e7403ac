"""What each kind of job runs: `kind -> "module.function"`, imported when the job runs.

A handler is `handler(*, job, progress) -> dict` (the result: plain values such as rows_read, kept,
refused). It raises JobRefused with a message (and the refused rows) when the input is wrong; anything
else is an unexpected failure, logged with its traceback and shown to the owner as such.
"""

from __future__ import annotations

HANDLERS: dict[str, str] = {
    "catalogue.cnig_import": "guichet.catalogue.jobs.cnig_import",
    "labour.import": "guichet.labour.jobs.labour_import",
}
