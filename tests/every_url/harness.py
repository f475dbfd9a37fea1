"""The machinery of the every-URL test: the resolver walk, the forms a page renders, the
fingerprint of every table, and one visit that changes nothing it should not."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Prefixes that are not walked: the admin has its own test of being superuser-only.
SKIPPED_PREFIXES = ("admin/", "static/", settings.STATIC_URL.lstrip("/"))

# Tables that are logs, not records: they may grow on a refused or bad request.
# The audit log must only grow; the others hold the visitor's session (and its messages)
# and the failed-login attempts that the lock-out counts.
LOG_TABLES = {"audit_auditevent"}
SESSION_TABLES = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # "people/<int:pk>/edit/"
    params: tuple[str, ...]  # path parameters in order

    def path(self, kwargs: dict[str, object]) -> str:
        """The path with each parameter put in verbatim (quoted), also values no converter takes."""

        def put(match: re.Match) -> str:
            return quote(str(kwargs[match.group("name")]), safe="")

        return "/" + _PARAM.sub(put, self.pattern)


_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk_routes() -> list[Route]:
    """Every named URL pattern of the project, recursively, but the admin and static files."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            text = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if (prefix + text).startswith(SKIPPED_PREFIXES):
                    continue
                ns = entry.namespace
                walk(
                    entry.url_patterns,
                    prefix + text,
                    f"{namespace}{ns}:" if ns else namespace,
                )
            elif isinstance(entry, URLPattern):
                full = prefix + text
                if full.startswith(SKIPPED_PREFIXES):
                    continue
                if not entry.name:
                    raise AssertionError(f"URL pattern {full!r} has no name; name it to test it")
                params = tuple(m.group("name") for m in _PARAM.finditer(full))
                routes.append(Route(f"{namespace}{entry.name}", full, params))

    walk(get_resolver().url_patterns, "", "")
    return routes


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


# --- forms and links on a page ---------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str | None
    maxlength: int | None = None
    disabled: bool = False  # a browser does not send it, and Django ignores it


@dataclass
class Form:
    method: str
    action: str  # as written; "" means the page itself
    fields: list[Field] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What a browser would send untouched: values, checked boxes, selected options."""
        out: dict[str, list[str]] = {}
        pressed = False
        for f in self.fields:
            if f.kind in ("submit", "button", "image"):
                # The first named button is the one pressed.
                if not pressed:
                    out.setdefault(f.name, []).append(f.value)
                    pressed = True
                continue
            if f.kind in ("reset", "file"):
                continue
            if f.value is None or f.disabled:
                continue
            out.setdefault(f.name, []).append(f.value)
        return out


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._select_first: str | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select.value = value
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(), action=a.get("action") or ""
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag in ("input", "button"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind == "text" and a.get("inputmode") in ("decimal", "numeric"):
                kind = "number"
            value = a.get("value") or ("on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio") and "checked" not in a:
                value = None
            self._form.fields.append(
                Field(a["name"], kind, value, _int(a.get("maxlength")), "disabled" in a)
            )
        elif tag == "select":
            self._select = Field(a["name"], "select", None, None, "disabled" in a)
            self._select_first = None
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(
                a["name"], "textarea", "", _int(a.get("maxlength")), "disabled" in a
            )
            self._form.fields.append(self._textarea)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._select.value is None:
                self._select.value = self._select_first or ""
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def parse_page(html: str) -> tuple[list[Form], list[str]]:
    parser = PageParser()
    parser.feed(html)
    return parser.forms, parser.links


def query_names(href: str) -> set[str]:
    return {name for name, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True)}


# --- the fingerprint of every table ----------------------------------------------------------


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def checksum(tables) -> dict[str, tuple]:
    """Row count and a checksum of each table's rows."""
    out: dict[str, tuple] = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT COUNT(*), MD5(COALESCE(STRING_AGG(t::text, '|' ORDER BY t::text), ''))"
                    f" FROM {qn(table)} t"
                )
                out[table] = tuple(cursor.fetchone())
            else:
                cursor.execute(f"SELECT * FROM {qn(table)}")
                rows = sorted(repr(row) for row in cursor.fetchall())
                digest = hashlib.md5("\n".join(rows).encode(), usedforsecurity=False).hexdigest()
                out[table] = (len(rows), digest)
    return out


def fingerprint() -> dict[str, tuple]:
    """The checksum of every table but the logs and the sessions."""
    return checksum(t for t in _tables() if t not in LOG_TABLES | SESSION_TABLES)


class WriteLog:
    """Which tables a request wrote to, and how (insert, update, delete).

    SQLite: temporary triggers on every table note each write in a temporary table (inside the
    request's savepoint, so it is read before the rollback). PostgreSQL: the statistics of the
    current transaction count the rows inserted, updated and deleted per table.
    """

    OPS = ("insert", "update", "delete")

    def install(self) -> None:
        if connection.vendor == "postgresql":
            return
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE every_url_written (tbl TEXT, op TEXT)")
            for table in _tables():
                for op in self.OPS:
                    cursor.execute(
                        f"CREATE TEMP TRIGGER {qn(f'every_url_{op}_{table}')} AFTER {op.upper()} "
                        f"ON main.{qn(table)} BEGIN INSERT INTO every_url_written "
                        f"VALUES ('{table}', '{op}'); END"
                    )

    def uninstall(self) -> None:
        if connection.vendor == "postgresql":
            return
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in _tables():
                for op in self.OPS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {qn(f'every_url_{op}_{table}')}")
            cursor.execute("DROP TABLE IF EXISTS every_url_written")

    def reset(self) -> None:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM every_url_written")

    def mark(self):
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
            )
            return {name: counts for name, *counts in cursor.fetchall()}

    def written(self, mark) -> set[tuple[str, str]]:
        """(table, op) pairs written since ``mark`` (SQLite: since the savepoint began)."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("SELECT DISTINCT tbl, op FROM every_url_written")
                return set(cursor.fetchall())
            now = self.mark()
        out = set()
        for name, counts in now.items():
            before = mark.get(name, [0, 0, 0])
            for op, n0, n1 in zip(self.OPS, before, counts, strict=True):
                if n1 != n0:
                    out.add((name, op))
        return out


WRITE_LOG = WriteLog()


def changed_tables(baseline: dict[str, tuple], written: set[tuple[str, str]]) -> list[str]:
    """Tables whose rows differ from the baseline; the audit log changes if a row of it was
    updated or deleted (inserts are what it is for)."""
    out = set()
    candidates = set()
    for table, op in written:
        if table in SESSION_TABLES:
            continue
        if table in LOG_TABLES:
            if op != "insert":
                out.add(table)
            continue
        candidates.add(table)
    now = checksum(sorted(candidates))
    out |= {table for table, value in now.items() if value != baseline.get(table)}
    return sorted(out)


# --- one visit -------------------------------------------------------------------------------


@dataclass
class Visit:
    status: int
    html: str
    changed: list[str]
    exception: str = ""
    location: str = ""


class Visitor:
    """One signed-in (or anonymous) client; every request is rolled back after it is looked at."""

    def __init__(self, user, baseline: dict[str, tuple]):
        self.client = Client(raise_request_exception=False)
        self.user = user
        self.baseline = baseline
        if user is not None:
            self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self._cookies = {k: v.value for k, v in self.client.cookies.items()}

    def _restore_cookies(self) -> None:
        # A logout or password change replaces the session cookie; the session row it pointed
        # at comes back with the rollback, so the old cookie signs in again.
        self.client.cookies.clear()
        for key, value in self._cookies.items():
            self.client.cookies[key] = value

    def visit(self, method: str, path: str, data=None, *, keep_html: bool = False) -> Visit:
        with _quiet(), transaction.atomic():
            mark = WRITE_LOG.mark()
            if method == "GET":
                response = self.client.get(path, data or {})
            else:
                response = self.client.post(path, data or {})
            status = response.status_code
            exception = ""
            if response.exc_info:
                exc = response.exc_info[1]
                exception = f"{type(exc).__name__}: {str(exc)[:200]}"
            html = ""
            if keep_html and response.get("Content-Type", "").startswith("text/html"):
                html = response.content.decode(errors="replace")
            changed: list[str] = []
            if status != 500:
                changed = changed_tables(self.baseline, WRITE_LOG.written(mark))
            transaction.set_rollback(True)
        self._restore_cookies()
        return Visit(status, html, changed, exception, response.get("Location", ""))


class _quiet:
    """Django logs every 4xx and 500 with a traceback; the test reports them itself."""

    def __enter__(self):
        self.logger = logging.getLogger("django.request")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


_FORMSET_ROW = re.compile(r"-\d+-")


def iter_bad_fields(form: Form) -> Iterator[Field]:
    """The fields to put bad values in: each once, and of a formset only its first row."""
    seen = set()
    for f in form.fields:
        if f.kind in ("submit", "button", "image", "reset", "file"):
            continue
        key = _FORMSET_ROW.sub("-N-", f.name)
        if key in seen or f.name == "csrfmiddlewaretoken":
            continue
        seen.add(key)
        yield f
