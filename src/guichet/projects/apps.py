from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "guichet.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # The apps below learn from here what only projects know (guichet.hooks).
        from guichet.labour import selectors as labour
        from guichet.projects import selectors

        labour.hiring_plans_visible_to.answer_with(selectors.projects_with_hiring_plans)
        labour.hiring_plan_years.answer_with(selectors.project_hiring_years)
