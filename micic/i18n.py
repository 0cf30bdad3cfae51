"""Choosing the language of a response.

Pages: English has no prefix, the other languages /fr/, /es/, /ar/ (``i18n_patterns`` in
micic/urls.py, read by Django's LocaleMiddleware). An unprefixed page sent to a visitor who
chose another language with the switcher (the language cookie), or whose browser asks for
one first (``Accept-Language``, on a first visit), is redirected to that language's prefix.
Choosing English with the switcher sets the cookie to ``en``, which keeps them unprefixed.

API: one path for every language. ``?lang=`` wins over ``Accept-Language``; an unsupported
language is English. LocaleMiddleware then adds ``Content-Language`` and ``Vary:
Accept-Language`` to the response.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

from .api import API_PREFIX

LANG_PARAMETER = "lang"


def supported(code: str | None) -> str | None:
    """The interface language for a language tag (``fr-CA`` → ``fr``), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def from_accept_language(header: str) -> str | None:
    """The first supported language of an ``Accept-Language`` header, in its order."""
    for code, quality in parse_accept_lang_header(header or ""):
        if code == "*" or quality <= 0:
            continue
        found = supported(code)
        if found:
            return found
    return None


def api_language(request) -> str:
    """``?lang=`` if supported, else the first supported ``Accept-Language``, else English."""
    return (
        supported(request.GET.get(LANG_PARAMETER))
        or from_accept_language(request.headers.get("Accept-Language", ""))
        or settings.LANGUAGE_CODE
    )


def preferred_language(request) -> str | None:
    """The language a visitor chose (cookie) or, before any choice, their browser's."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None:
        return supported(cookie)
    return from_accept_language(request.headers.get("Accept-Language", ""))


class PreferredLanguageMiddleware:
    """The API's language; unprefixed pages redirected to the visitor's language."""

    # Unprefixed paths that are not pages of a language (micic/urls.py, outside i18n_patterns).
    NEUTRAL_PREFIXES = (API_PREFIX, "/i18n/", "/static/", "/healthz", "/sitemap", "/robots.txt")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(API_PREFIX):
            translation.activate(api_language(request))
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
        redirect = self._redirect(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if self._unprefixed_page(request):
            # Who sees the English page depends on the cookie and the browser's languages.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _unprefixed_page(self, request) -> bool:
        path = request.path_info
        return not path.startswith(self.NEUTRAL_PREFIXES) and not (
            translation.get_language_from_path(path)
        )

    def _redirect(self, request):
        if request.method not in ("GET", "HEAD") or not self._unprefixed_page(request):
            return None
        language = preferred_language(request)
        if not language or language == settings.LANGUAGE_CODE:
            return None
        target = translate_url(request.get_full_path(), language)
        if target == request.get_full_path():  # not a page with translated URLs
            return None
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def language_links(request) -> list[dict]:
    """For the switcher and ``hreflang``: this page in each language, query kept."""
    current = translation.get_language()
    full_path = request.get_full_path()
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # the 400 page for that very error: relative links
        origin = ""
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": (url := translate_url(full_path, code)),
                "href": origin + url,
                "current": code == current,
            }
        )
    return links


def languages(request):
    """Context processor: ``language_links`` (computed when a template first reads it)."""
    return {"language_links": lambda: language_links(request)}


# Choosing a display language is not worth a CSRF token (and a cookie) on every page: the
# worst a forged request can do is change the language someone reads the site in.
@csrf_exempt
def set_language(request):
    """Django's ``set_language``, with ``next`` read in its own language.

    ``next`` is the page the switcher was on (``/fr/practices/?q=…``); Django translates it
    to the chosen language, which needs the URL resolved under the language of its prefix.
    """
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(language or settings.LANGUAGE_CODE):
        return django_set_language(request)
