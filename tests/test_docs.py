"""The project's own documentation: README.md links docs/api.md and docs/design.md, no link
leaves the repository, and docs/api.md covers every endpoint and parameter of the API."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_links_the_api_reference_and_the_design():
    readme = (ROOT / "README.md").read_text()
    assert "](docs/api.md)" in readme
    assert "](docs/design.md)" in readme
    assert "../shared" not in readme


@pytest.mark.parametrize("document", DOCS, ids=lambda path: path.name)
def test_every_link_stays_in_the_repository_and_resolves(document):
    for target in LINK.findall(document.read_text()):
        assert not re.match(r"[a-z]+:", target), f"{document.name} links outside: {target}"
        path = target.split("#")[0]
        if path:
            resolved = (document.parent / path).resolve()
            assert resolved.is_relative_to(ROOT), f"{document.name}: {target} leaves the repository"
            assert resolved.exists(), f"{document.name}: {target} does not exist"


@pytest.mark.django_db
def test_the_api_reference_covers_every_endpoint_of_the_schema(client):
    reference = (ROOT / "docs" / "api.md").read_text()
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        documented = re.sub(r"\{[^}]+\}", "{", path)
        text = re.sub(r"\{[^}]+\}", "{", reference)
        assert documented in text, path
        for method in operations:
            assert f"{method.upper()} `{path.split('{')[0]}" in reference or method == "get", (
                method,
                path,
            )


def test_the_api_reference_covers_every_filter_error_and_limit():
    from repository.filters import PracticeFilterSet

    reference = (ROOT / "docs" / "api.md").read_text()
    for name in PracticeFilterSet.base_filters:
        assert f"`{name}`" in reference, name
    for status in (400, 401, 403, 404, 409, 429, 503):
        assert f"| {status} |" in reference, status
    assert "600 requests a minute" in reference and "3,000" in reference
    assert "page_size" in reference and "at most 100" in reference
    assert reference.count("curl ") >= 10
