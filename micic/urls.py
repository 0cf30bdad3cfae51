from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from guidelines.sitemaps import GuidelinesPagesSitemap, PrincipleSitemap
from repository.feeds import PracticeFeed
from repository.sitemaps import GuidelineSitemap, PageSitemap, PhaseSitemap, PracticeSitemap

from . import i18n, views

# Error pages without debug details; JSON under /api/ (micic/views.py).
handler400 = "micic.views.bad_request"
handler403 = "micic.views.permission_denied"
handler404 = "micic.views.page_not_found"
handler500 = "micic.views.server_error"

SITEMAPS = {
    "pages": PageSitemap,
    "guideline-pages": GuidelinesPagesSitemap,
    "phases": PhaseSitemap,
    "guidelines": GuidelineSitemap,
    "principles": PrincipleSitemap,
    "practices": PracticeSitemap,
}

# One path whatever the language: the probe, the API, the sitemap (which lists every
# language's pages), robots.txt and the language switcher's target.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/", include("micic.api.urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("i18n/setlang/", i18n.set_language, name="set_language"),
]

# Pages: English without a prefix (existing links keep working), /fr/, /es/, /ar/ otherwise.
urlpatterns += i18n_patterns(
    path("", include("guidelines.urls")),
    path("", include("repository.urls")),
    path("moderation/", include("repository.moderation_urls")),
    # The site's own log-in, for moderators (no staff status needed); curators use /admin/.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("feeds/practices/", PracticeFeed(), name="practice-feed"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
