"""Publish the open dataset (/data/): every published practice as CSV, JSON Lines and a
Data Package descriptor, into DATASET_ROOT (repository/dataset.py)."""

from django.core.management.base import BaseCommand

from repository import dataset


class Command(BaseCommand):
    help = "Write the open dataset (CSV, JSON Lines, datapackage.json) into DATASET_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("--root", help="Write here instead of DATASET_ROOT.")

    def handle(self, *args, root=None, **options):
        manifest = dataset.publish(root)
        for facts in manifest["files"]:
            rows = "" if facts["rows"] is None else f", {facts['rows']} rows"
            self.stdout.write(f"{facts['name']}: {facts['bytes']:,} bytes{rows}, {facts['sha256']}")
        self.stdout.write(f"Published version {manifest['version']} in {manifest['folder']}.")
