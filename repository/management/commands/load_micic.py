from django.core.management.base import BaseCommand, CommandError

from repository.content import ContentError, load_content


class Command(BaseCommand):
    help = (
        "Load the MICIC content from fixtures/ (phases, principles, guidelines, taxonomies, "
        "regions and curated practices). Safe to run again: existing rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help=(
                "Apply the fixtures' corrections to existing rows; fields a curator edited "
                "on the site since the last load are kept, and listed."
            ),
        )

    def handle(self, *args, refresh=False, **options):
        try:
            report = load_content(refresh=refresh)
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"MICIC content: {report}."))
        if report.kept_edits:
            self.stdout.write(
                f"Kept {len(report.kept_edits)} curators' edits (fixture value not applied):"
            )
            for line in report.kept_edits:
                self.stdout.write(f"  {line}")
        if report.retired:
            self.stdout.write(
                f"{len(report.retired)} published practices are no longer in fixtures/ "
                "(withdraw them in /moderation/ if they should go): " + ", ".join(report.retired)
            )
