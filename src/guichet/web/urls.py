from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from guichet.api.api import api
from guichet.web.views import RateLimitedLoginView

accounts_patterns = (
    [
        path("login/", RateLimitedLoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "accounts",
)

urlpatterns: list[URLPattern | URLResolver] = [
    # The admin signs in through the same rate-limited login as the rest of the site.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("projects/", include("guichet.projects.urls")),
    path("labour/", include("guichet.labour.urls")),
    path("jobs/", include("guichet.jobs.urls")),
    path("transparency/", include("guichet.audit.urls")),
    path("", include("guichet.offers.urls")),
    path("", include("guichet.portal.urls")),
    path("", include("guichet.catalogue.urls")),
]

handler500 = "guichet.web.views.server_error"
