"""Database backends: Django's own, plus the hooks that keep refusals through a rollback.

``settings.DATABASES`` names ``ankomst.audit.backends.sqlite3`` or ``.postgresql``; each
is Django's backend of that name with ``DurableRefusals`` mixed in (see ``audit.durable``).
"""


def _durable():
    # Imported on first use: the backend loads before the app registry is ready.
    from ankomst.audit import durable

    return durable


class DurableRefusals:
    def commit(self):
        super().commit()
        _durable().after_commit(self)

    def rollback(self):
        super().rollback()
        _durable().after_rollback(self)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        _durable().after_savepoint_rollback(self, sid)

    def set_autocommit(self, autocommit, force_begin_transaction_with_broken_autocommit=False):
        super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)
        if autocommit:
            _durable().after_autocommit(self)
