from django.core.management.base import BaseCommand

from repository.transfer import dumps, export_records


class Command(BaseCommand):
    help = (
        "Export every practice (any status) with its tags and moderation events as JSON Lines: "
        "a complete backup for import_practices."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-", help="File to write; - for stdout.")

    def handle(self, *args, path="-", **options):
        out = self.stdout if path == "-" else open(path, "w", encoding="utf-8")  # noqa: SIM115
        count = 0
        try:
            for record in export_records():
                out.write(dumps(record) + "\n", **({"ending": ""} if out is self.stdout else {}))
                count += 1
        finally:
            if out is not self.stdout:
                out.close()
        self.stderr.write(self.style.SUCCESS(f"Exported {count} practices."))
