"""axe-core (bundled by axe-playwright-python, run in the page) on the public pages.

WCAG 2.1 AA is the target (DESIGN.md); any violation axe rates serious or critical fails.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from repository import search
from repository.models import Practice

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
AXE = Axe()


def blocking_violations(page):
    """axe's serious and critical findings on the page as it is now, one line each."""
    results = AXE.run(page)  # axe's default rule set: WCAG A and AA, and best practices
    assert results.response["testEngine"]["name"] == "axe-core"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def serious_violations(page, paths):
    """Visit each path; map it to axe's serious and critical findings, and the HTTP status."""
    found, statuses = {}, {}
    for path in paths:
        response = page.goto(path)
        statuses[path] = response.status
        if blocking := blocking_violations(page):
            found[path] = blocking
    return found, statuses


def test_public_pages_have_no_serious_accessibility_violations(page, micic_content):
    practice = Practice.objects.published().order_by("pk").first()
    diaspora = Practice.objects.published().filter(stakeholders__slug="diaspora")
    assert search.matching(diaspora, "evacuation").exists()  # results, not the empty state
    paths = {
        "/practices/": 200,
        "/practices/?q=evacuation&stakeholder=diaspora": 200,
        "/practices/?ordering=title&page=2": 200,
        "/practices/?q=evacuaton": 200,  # nothing found: the empty state with a suggestion
        "/practices/?phase=wartime": 400,
        "/": 200,
        "/about/": 200,
        "/guidelines/": 200,
        "/guidelines/1/": 200,
        "/principles/": 200,
        "/principles/1/": 200,
        "/phases/emergency/": 200,
        practice.get_absolute_url(): 200,
        "/no-such-page/": 404,
    }
    found, statuses = serious_violations(page, paths)

    assert statuses == paths
    assert not found, found
