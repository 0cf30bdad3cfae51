"""repository/markdown.py: Markdown to sanitised HTML."""

import pytest

from repository.markdown import render_markdown


def test_renders_markdown():
    html = render_markdown("Some **bold** text\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<li>one</li>" in html


def test_links_get_nofollow_noopener():
    html = render_markdown("[site](https://example.org)")
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<svg onload="alert(1)"></svg>',
        "[click](javascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<iframe src="https://example.org"></iframe>',
        '<form action="https://example.org"><input></form>',
        "![img](https://example.org/x.png)",
    ],
)
def test_dangerous_markup_is_removed(source):
    html = render_markdown(source).lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "data:", "<iframe",
                "<form", "<img", "style=", "<svg"):  # fmt: skip
        assert bad not in html, (source, html)


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
