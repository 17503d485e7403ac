"""Background work of calls for offers: the investor's dossier rendered ahead of its reader."""

from __future__ import annotations

from django_tasks import task


@task()
def render_dossier(link_id: int, language: str, kinds: list[str] | None = None) -> str:
    """The page and the PDF (rendered ahead of the reader), or only the one a reader is waiting for."""
    from guichet.offers.services import dossier_render  # the service queues this task: imported when run

    return dossier_render(link_id=link_id, language=language, kinds=kinds or ["html", "pdf"])
