"""/api/docs/ in a real browser: Redoc renders the schema from this site's own static files,
under the site's Content-Security-Policy, with no request leaving the site (the ``page``
fixture fails the test if any request goes elsewhere), passes axe, and links back.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# What the CSP refuses, by design, and Redoc does without: perfect-scrollbar's style element
# (made before Redoc knows the nonce; native scroll bars are used) and the search worker (off).
EXPECTED_REFUSALS = ("Applying inline style", "Creating a worker from 'blob:")


def open_docs(page):
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not any(refusal in message.text for refusal in EXPECTED_REFUSALS)
            and problems.append(message.text)
        ),
    )
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    # Redoc builds the page from the schema in the browser: on a busy machine, seconds.
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "MICIC Practices Repository API", timeout=60_000
    )
    expect(page.get_by_text("/api/v1/practices/", exact=True).first).to_be_attached()
    return problems, sizes


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_api_docs_render_offline_and_pass_axe(new_page, viewport):
    page = new_page(viewport=viewport)
    problems, sizes = open_docs(page)
    page.wait_for_load_state("networkidle")
    assert not problems, problems
    assert not blocking_violations(page)
    # Everything the page loads, uncompressed (the test server does not compress static
    # files; whitenoise does): about half of Swagger UI's 2 MB.
    assert sum(sizes) < 1_300_000, sum(sizes)


def test_api_docs_link_back_to_the_site(page):
    open_docs(page)
    back = page.get_by_role("link", name="MICIC Practices Repository", exact=False).first
    expect(back).to_be_visible()
    with page.expect_navigation():
        back.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Protecting migrants in countries in crisis"
    )
    # ... and the site's footer leads to them.
    with page.expect_navigation():
        page.locator("footer").get_by_role("link", name="API reference").click()
    assert page.url.endswith("/api/docs/")


def test_public_reads_show_no_authorization_and_writes_do(page):
    open_docs(page)
    practices = page.locator('[id="operation/practices_list"]')
    expect(practices).to_be_attached()
    expect(practices).not_to_contain_text("Authorizations")
    submit = page.locator('[id="operation/submissions_create"]')
    expect(submit).to_contain_text("Authorizations")
    expect(submit).to_contain_text("tokenAuth")
