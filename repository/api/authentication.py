"""`Authorization: Token <key>` against hashed, expiring API tokens (repository.models.ApiToken).

The header and the 401 (with `WWW-Authenticate: Token`) are those of Django REST
framework's TokenAuthentication; the key is looked up by its SHA-256 digest. Invalid keys
count against micic.api.InvalidTokenThrottle: past its limit a client gets 429s.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from micic.api import InvalidTokenThrottle

from ..models import ApiToken

# `last_used_at` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        throttle = InvalidTokenThrottle()
        wait = throttle.blocked_for(request)
        if wait is not None:
            raise exceptions.Throttled(
                wait, detail=str(_("Too many invalid tokens from this address."))
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise

    def authenticate_credentials(self, key):
        token = ApiToken.objects.for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (token.user, token)
