"""URL configuration: language-prefixed public site, Wagtail admin, documents, sitemap.

Django's own admin is deliberately not mounted: staff work in the Wagtail admin, and an
unused second admin login would only widen the attack surface.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from localhistory import views as localhistory_views
from tamyr import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("healthz/", views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", localhistory_views.search, name="search"),
    path("search/suggest/", localhistory_views.suggest, name="search_suggest"),
    path("accounts/", include("tamyr.users.urls")),
    path("trees/", include("importers.urls")),
    path("trees/", include("genealogy.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
