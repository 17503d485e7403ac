from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

accounts_patterns = (
    [
        path("login/", auth_views.LoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "accounts",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("projects/", include("guichet.projects.urls")),
    path("labour/", include("guichet.labour.urls")),
    path("", include("guichet.offers.urls")),
    path("", include("guichet.catalogue.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
