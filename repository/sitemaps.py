from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from guidelines.models import Guideline, Phase

from .models import Practice


class PracticeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Practice.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class GuidelineSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.9

    def items(self):
        return Guideline.objects.order_by("number")


class PhaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Phase.objects.all()


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return [
            "repository:home",
            "repository:practice-list",
            "repository:submit",
            "repository:about",
        ]

    def location(self, item):
        return reverse(item)
