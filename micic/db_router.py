"""Send reads to a PostgreSQL read replica (DATABASE_REPLICA_URL), everything else to the primary.

Installed by settings.py only when DATABASE_REPLICA_URL is set. A read inside a transaction on
the primary stays on the primary, so that a write and the reads around it (the workflow, the
import) see the same data; the replica can lag the primary by a moment otherwise.
"""

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"


class ReplicaRouter:
    """Reads from the replica outside transactions; writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
