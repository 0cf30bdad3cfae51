"""/api/docs/ in a real browser: Swagger UI renders the schema from this site's own static
files, under the site's Content-Security-Policy, with no request leaving the site (the
``page`` fixture fails the test if any request goes elsewhere).
"""

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_offline_under_the_csp(page):
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/practices/" in paths and "/api/v1/practices/{id}/" in paths
    assert page.locator(".info .title").inner_text().startswith("MICIC Practices Repository API")
    assert not problems, problems


def test_api_docs_try_it_out_calls_the_api(page):
    page.goto("/api/docs/#/phases/phases_list")
    operation = page.locator("#operations-phases-phases_list")
    operation.locator(".try-out__btn").click()
    with page.expect_response(lambda r: "/api/v1/phases/" in r.url) as answer:
        operation.locator(".execute").click()
    assert answer.value.status == 200
    assert answer.value.json()["count"] == 3
