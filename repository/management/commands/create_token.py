from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from repository.models import ApiToken


class Command(BaseCommand):
    help = (
        "Create an API token for an existing user. The key is printed alone on the last line "
        "and shown only this once: only its SHA-256 is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--days", type=int, default=None, help="Expire after this many days (default: never)."
        )

    def handle(self, *args, username, name="", days=None, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(f"No user {username!r}: create the account first.") from error
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token, key = ApiToken.objects.issue(user=user, name=name, expires_at=expires_at)
        expiry = f"expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else "never expires"
        self.stdout.write(
            f"Token {token.prefix}… for {user.get_username()} ({expiry}). "
            "The key is on the next line; it will not be shown again."
        )
        self.stdout.write(key)
