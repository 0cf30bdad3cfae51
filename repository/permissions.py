"""Who may moderate: superusers and members of the group ``moderators``."""

MODERATORS_GROUP = "moderators"


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists()
