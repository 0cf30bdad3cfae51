from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Principle


class PrincipleSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.7

    def items(self):
        return Principle.objects.all()


class GuidelinesPagesSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8

    def items(self):
        return ["guidelines:guideline-list", "guidelines:principle-list"]

    def location(self, item):
        return reverse(item)
