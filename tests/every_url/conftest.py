"""The world of the every-URL test, built once per module and rolled back at its end."""

import pytest
from django.db import transaction
from django.template.base import Template
from django.test import override_settings

from tests.every_url.harness import WRITE_LOG, Visitor, fingerprint
from tests.every_url.world import VISITORS, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Every refused password (a bad old password, a bad login) costs one hash; Argon2's is
    # slow on purpose, and its strength is not what this module tests.
    fast_hashes = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with fast_hashes, django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            WRITE_LOG.install()
            yield world
            WRITE_LOG.uninstall()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def plain_template_rendering():
    """The test client copies every template context of every response for ``response.context``;
    this module reads only the HTML, and the copies were a third of its time."""
    instrumented = Template._render
    Template._render = _render
    yield
    Template._render = instrumented


def _render(self, context):
    return self.nodelist.render(context)


@pytest.fixture(scope="module")
def visitors(world, django_db_blocker):
    """A client per role, the anonymous visitor and the outsider; the fingerprint of the world
    as it is once they are signed in (each request is compared with it and rolled back)."""
    with django_db_blocker.unblock():
        signed_in = {name: world.users[name] for name in VISITORS}
        clients = {name: Visitor(user, None) for name, user in signed_in.items()}
        baseline = fingerprint()
        WRITE_LOG.reset()
        for client in clients.values():
            client.baseline = baseline
    return clients
