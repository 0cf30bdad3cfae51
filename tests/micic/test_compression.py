"""GZipMiddleware (settings.MIDDLEWARE): pages, JSON and CSV are sent compressed to clients
that accept gzip, with Django's BREACH mitigation, and conditional GETs still work."""

import gzip

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    ("path", "content_type", "marker"),
    [
        ("/practices/", "text/html", b"<h1>"),
        ("/", "text/html", b"<h1"),
        ("/api/v1/practices/", "application/json", b'"results"'),
        ("/api/v1/practices/?format=csv", "text/csv", b"id,title,summary"),
    ],
)
def test_html_json_and_csv_are_compressed_for_clients_that_accept_gzip(path, content_type, marker):
    client = Client()
    plain = client.get(path)
    compressed = client.get(path, **GZIP)

    assert plain.status_code == compressed.status_code == 200
    assert compressed["Content-Type"].startswith(content_type)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert not plain.has_header("Content-Encoding")
    unpacked = gzip.decompress(body(compressed))
    assert marker in unpacked
    plain_body = body(plain)
    if content_type != "text/html":  # pages carry a fresh CSP nonce each time
        assert unpacked == plain_body
    assert len(body(compressed)) < len(plain_body) / 3


def test_the_search_page_shrinks_to_a_fraction():
    client = Client()
    plain = client.get("/practices/")
    compressed = client.get("/practices/", **GZIP)
    assert len(plain.content) > 30_000
    assert len(compressed.content) < len(plain.content) / 4


def test_api_etags_still_answer_304_when_compressed():
    client = Client()
    first = client.get("/api/v1/practices/", **GZIP)
    etag = first["ETag"]
    assert first["Content-Encoding"] == "gzip"
    again = client.get("/api/v1/practices/", HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304


def test_gzip_is_placed_above_the_middleware_that_read_the_body():
    middleware = settings.MIDDLEWARE
    gzip_at = middleware.index("django.middleware.gzip.GZipMiddleware")
    # The ETag is computed on the uncompressed body, below GZip; static files are
    # answered above it, already compressed by collectstatic.
    assert gzip_at < middleware.index("micic.api.ConditionalGetMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert middleware.index("django.middleware.csp.ContentSecurityPolicyMiddleware") > gzip_at
