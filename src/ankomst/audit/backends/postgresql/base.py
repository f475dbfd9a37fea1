from django.db.backends.postgresql import base

from .. import DurableRefusals


class DatabaseWrapper(DurableRefusals, base.DatabaseWrapper):
    pass
