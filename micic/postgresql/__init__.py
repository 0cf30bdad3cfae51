"""Django's PostgreSQL backend with database calls that cannot hang (see base.py)."""
