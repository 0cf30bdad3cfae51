"""repository/dataset.py, `manage.py publish_dataset` and the page /data/
(repository/views/data.py): the open data files, their facts, and their validity."""

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from repository import dataset
from repository.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(tmp_path, settings):
    settings.DATASET_ROOT = tmp_path / "dataset"
    settings.SITE_URL = "https://practices.example.org"
    return settings.DATASET_ROOT


@pytest.fixture
def published(root, corpus):
    make_practice(
        title="=1+1 is not a formula here",
        summary="-5 °C: a cold snap",
        body="Shelters *opened*.",
        stakeholders=["states"],
        countries=["CA"],
        guidelines=[9],
        year=2019,
    )
    out = io.StringIO()
    call_command("publish_dataset", stdout=out)
    assert "Published version" in out.getvalue()
    return dataset.manifest()


def folder(manifest, root) -> Path:
    return root / manifest["folder"]


def test_the_manifest_gives_size_rows_sha256_and_date_of_each_file(published, root):
    assert [f["name"] for f in published["files"]] == list(dataset.FILES)
    count = Practice.objects.published().count()
    for facts in published["files"]:
        data = (folder(published, root) / facts["name"]).read_bytes()
        assert facts["bytes"] == len(data)
        assert facts["sha256"] == hashlib.sha256(data).hexdigest()
        assert facts["date"] == published["published"]
    assert [f["rows"] for f in published["files"]] == [count, count, None]


def test_the_csv_has_a_bom_labels_and_slugs_the_description_and_no_formulas(published, root):
    raw = (folder(published, root) / dataset.CSV_NAME).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [column.name for column in dataset.COLUMNS]
    assert len(rows) == Practice.objects.published().count()
    row = next(r for r in rows if "cold snap" in r["summary"])
    assert row["title"] == "'=1+1 is not a formula here"
    assert row["summary"] == "'-5 °C: a cold snap"
    assert row["description"] == "Shelters *opened*."
    assert row["stakeholders"] == "states" and row["stakeholder_names"] == "States"
    assert row["countries"] == "CA" and row["country_names"] == "Canada"
    assert row["regions"] == "north-america" and row["region_names"] == "North America"
    assert row["guidelines"] == "9"
    assert row["guideline_titles"].startswith("Communicate widely")
    assert row["kind"] == "practice" and row["kind_name"] == "Implemented practice"
    assert row["html_url"].startswith("https://practices.example.org/practices/")
    libya = next(r for r in rows if "Libya" in r["title"])
    assert libya["countries"] == "EG;LY" or libya["countries"] == "LY;EG"


def test_json_lines_hold_the_same_practices_with_lists(published, root):
    lines = (folder(published, root) / dataset.JSONL_NAME).read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == Practice.objects.published().count()
    record = next(r for r in records if "cold snap" in r["summary"])
    assert record["title"] == "=1+1 is not a formula here"  # JSON is not a spreadsheet
    assert record["stakeholders"] == ["states"]
    assert record["year"] == 2019 and record["year_end"] is None


def test_the_descriptor_describes_every_field_sources_version_and_licence(root, corpus, settings):
    settings.DATASET_LICENSE = {"name": "CC-BY-4.0", "path": "https://example.org/l", "title": "T"}
    manifest = dataset.publish()
    package = json.loads((folder(manifest, root) / dataset.DESCRIPTOR_NAME).read_text())
    assert package["version"] == manifest["version"]
    assert package["licenses"] == [settings.DATASET_LICENSE]
    assert package["sources"]
    fields = package["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == [c.name for c in dataset.COLUMNS]
    assert all(f["description"] and f["type"] for f in fields)


def test_without_a_licence_the_descriptor_declares_none(published, root):
    package = json.loads((folder(published, root) / dataset.DESCRIPTOR_NAME).read_text())
    assert "licenses" not in package


def test_frictionless_validates_the_data_package(published, root):
    frictionless = Path(sys.executable).with_name("frictionless")
    command = [str(frictionless), "validate", "--json", dataset.DESCRIPTOR_NAME]
    result = subprocess.run(
        command, cwd=folder(published, root), capture_output=True, text=True, check=False
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout[:2000]
    assert report["valid"] is True
    assert {task["name"]: task["stats"]["rows"] for task in report["tasks"]} == {
        "practices": Practice.objects.published().count(),
        "practices-jsonl": Practice.objects.published().count(),
    }


def test_frictionless_catches_a_broken_file(published, root):
    """The validation above is not vacuous: a row with a bad id fails it."""
    path = folder(published, root) / dataset.CSV_NAME
    path.write_text(path.read_text(encoding="utf-8-sig") + "not-an-id,x,y\n", encoding="utf-8-sig")
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", "--json", dataset.DESCRIPTOR_NAME],
        cwd=folder(published, root),
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(result.stdout)["valid"] is False


def test_a_new_publication_replaces_the_old_and_keeps_the_previous(published, root):
    first = published["folder"]
    make_practice(title="One more")
    second = dataset.publish()
    third = dataset.publish()
    assert second["files"][0]["rows"] == published["files"][0]["rows"] + 1
    folders = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert first not in folders and folders[-1] == third["folder"]
    assert len(folders) <= 2


def test_the_page_lists_each_file_with_its_facts(client, published):
    response = client.get("/data/")
    content = response.content.decode()
    assert response.status_code == 200
    for facts in published["files"]:
        assert f'href="/data/{facts["name"]}"' in content
        assert facts["sha256"] in content
        assert f"{facts['bytes']:,} bytes" in content
    assert published["version"] in content
    assert "No licence has been declared" in content
    assert "Practices have changed since" not in content
    make_practice(title="Newer")
    assert "Practices have changed since" in client.get("/data/").content.decode()


def test_the_files_download_with_their_sha256_as_etag(client, published, root):
    facts = published["files"][0]
    response = client.get(f"/data/{facts['name']}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["ETag"] == f'"{facts["sha256"]}"'
    assert "attachment" in response["Content-Disposition"]
    assert (
        b"".join(response.streaming_content)
        == (folder(published, root) / facts["name"]).read_bytes()
    )
    again = client.get(f"/data/{facts['name']}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/data/datapackage.json")["Content-Type"] == "application/json"
    assert client.get("/data/manifest.json").status_code == 404
    assert client.get("/data/..%2Fmanifest.json").status_code == 404


def test_before_any_publication_the_page_says_so_and_files_are_404(client, root):
    shutil.rmtree(root, ignore_errors=True)
    content = client.get("/data/").content.decode()
    assert "has not been published yet" in content
    assert client.get(f"/data/{dataset.CSV_NAME}").status_code == 404
