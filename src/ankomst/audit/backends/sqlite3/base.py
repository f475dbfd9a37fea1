from django.db.backends.sqlite3 import base

from .. import DurableRefusals


class DatabaseWrapper(DurableRefusals, base.DatabaseWrapper):
    pass
