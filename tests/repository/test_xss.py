"""Classic cross-site-scripting payloads, submitted then approved, stay inert everywhere."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from repository import workflow
from repository.models import Practice
from tests.repository.test_views_submit import valid_data

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p onclick="alert(1)" style="color:red">text</p>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '"><script>alert(1)</script>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<details open ontoggle="alert(1)">',
    "![x](javascript:alert(1))",
    '<form action="javascript:alert(1)"><button>x</button></form>',
]
DANGEROUS_TAGS = {"script", "iframe", "svg", "math", "img", "body", "object", "embed", "details"}


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "xlink:href") and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag}[{name}={value[:20]}]")


def live_markup(html: str) -> list[str]:
    """Dangerous tags and attributes that are real markup (escaped text does not count)."""
    parser = Markup()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert_on_the_page_and_in_the_api(client, payload):
    data = valid_data(
        title=f"Title {payload}",
        summary=f"Summary {payload}",
        body=f"Body {payload}\n\n{payload}",
        organizations=f"Org {payload}",
        source_title=f"Source {payload}",
    )
    response = client.post("/practices/submit/", data)
    assert response.status_code == 302, response.content[:500]
    practice = Practice.objects.get(submitter_email="rosa@example.org")
    moderator = User.objects.create_superuser("root", "root@example.org", "pw")
    workflow.decide(practice=practice, decision="approve", actor=moderator)
    practice.refresh_from_db()

    assert live_markup(str(practice.body_html)) == []

    page = client.get(practice.get_absolute_url()).content.decode()
    main = page[page.index('<main id="main"') : page.index("</main>")]
    assert live_markup(main) == []

    client.force_login(moderator)
    review = client.get(f"/moderation/{practice.pk}/").content.decode()
    # The practice as moderators see it, with the submitter's details and the history.
    shown = review[review.index('id="content-title"') : review.index('id="decision-title"')]
    history = review[review.index('id="history-title"') :].split("<form")[0]
    assert live_markup(shown) == []
    assert live_markup(history) == []
    client.logout()

    api = client.get(f"/api/v1/practices/{practice.pk}/").json()
    assert live_markup(api["body_html"]) == []
    assert api["title"] == f"Title {payload}"  # plain text, returned as it was typed


def test_links_in_markdown_get_rel_nofollow_noopener(client):
    data = valid_data(body="[site](https://example.org/page)")
    client.post("/practices/submit/", data)
    practice = Practice.objects.get(submitter_email="rosa@example.org")
    assert 'href="https://example.org/page" rel="nofollow noopener"' in practice.body_html
