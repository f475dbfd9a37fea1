"""The ``ankomst`` command.

ankomst serve [--host H] [--port P]   serve the app (waitress + whitenoise); --worker starts
                                      one task worker beside it
ankomst worker                        run background tasks (placement runs); start as many as
                                      wanted, on as many machines as share the database
ankomst demo [--seed N]               create the demo organisations, residents and users
ankomst place ...                     the placement engine (see docs/placement.md)
ankomst audit verify                  check the audit log's hash chain; exit status 1 if broken
ankomst community remind              e-mail volunteers whose child-protection certificate
                                      runs out soon, and their coordinators (run it daily)
ankomst manage ...                    any Django management command
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    import django

    django.setup()


def _print_logins(logins) -> None:
    from ankomst.demo.services import DEMO_PASSWORD

    seen = set()
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for username, role, organisation in logins:
        print(f"  {username:<12} {role:<26} {organisation}")
        seen.add(username)


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from ankomst.demo.services import create_demo

    started = time.perf_counter()
    result = create_demo(seed=args.seed)
    elapsed = time.perf_counter() - started
    if result.created:
        print(
            f"Demo data created in {elapsed:.1f} s: {result.persons} persons in "
            f"{result.households} households."
        )
    else:
        print("Demo data already present; nothing created.")
    _print_logins(result.logins)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from waitress import serve

    from ankomst.wsgi import application

    worker = None
    if args.worker:
        worker = subprocess.Popen([sys.executable, "-m", "ankomst.cli", "worker"])
        print(f"A task worker runs beside the web server (process {worker.pid}).")
    print(f"Ankomst is serving on http://{args.host}:{args.port}/  (Ctrl+C stops it)")
    if args.demo_hint:
        from ankomst.demo.services import DEMO_PASSWORD

        print(f"Sign in as caseworker, staff, admin, ... with the password {DEMO_PASSWORD}")
    try:
        serve(application, host=args.host, port=args.port, threads=8, ident="ankomst")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """A task worker: the database backend's worker, with a thread that finds runs whose
    worker died (their heartbeat stopped) and queues them again."""
    _django()
    import threading

    from django.core.management import call_command

    from ankomst.runs import recover_forever

    stop = threading.Event()
    threading.Thread(target=recover_forever, args=(stop,), daemon=True).start()
    try:
        call_command(
            "db_worker", queue_name="default", interval=args.interval, reload=False, verbosity=1
        )
    finally:
        stop.set()
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _django()
    from ankomst.audit.chain import verify

    started = time.perf_counter()
    result = verify()
    elapsed = time.perf_counter() - started
    for problem in result.problems:
        print(f"BROKEN: {problem}")
    if result.unchained:
        print(f"{result.unchained} events were recorded before the chain began (not verifiable).")
    if result.ok:
        print(f"Audit log intact: {result.checked} events checked in {elapsed:.1f} s.")
        if result.head:
            print(f"Last hash (keep it elsewhere to detect a removed tail): {result.head}")
        return 0
    print(f"Audit log BROKEN: {len(result.problems)} problems in {result.checked} events.")
    return 1


def cmd_community_remind(args: argparse.Namespace) -> int:
    _django()
    from django.utils import timezone

    from ankomst.community.services import send_certificate_reminders

    sent = send_certificate_reminders(timezone.localdate())
    print(f"{sent} reminders of a child-protection certificate running out sent.")
    return 0


def cmd_manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ankomst manage", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "place":
        from ankomst.placement.cli import main as place_main

        return place_main(argv[1:])
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    parser = argparse.ArgumentParser(
        prog="ankomst", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="create demo data (idempotent)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo-hint", action="store_true", help="print how to sign in to the demo")
    serve.add_argument("--worker", action="store_true", help="start a task worker beside it")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="run background tasks (placement runs)")
    worker.add_argument(
        "--interval", type=float, default=0.5, help="seconds between looks for new tasks"
    )
    worker.set_defaults(func=cmd_worker)
    audit = sub.add_parser("audit", help="the audit log: ankomst audit verify")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the hash chain of the audit log").set_defaults(
        func=cmd_audit_verify
    )
    community = sub.add_parser("community", help="the community: ankomst community remind")
    community_sub = community.add_subparsers(dest="community_command", required=True)
    community_sub.add_parser(
        "remind", help="e-mail reminders of child-protection certificates running out"
    ).set_defaults(func=cmd_community_remind)
    sub.add_parser("place", help="placement engine: ankomst place housing|example ...")
    sub.add_parser("manage", help="run a Django management command")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
