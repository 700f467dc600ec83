"""The `accord` command line: run the server, the demo, create an administrator, manage.py.

    accord demo          migrate, load the demo data into an empty database, print the login, serve
    accord serve         migrate, collect static files, serve on http://127.0.0.1:8000
    accord worker        run background jobs (imports, exports, mail sync, webhooks)
    accord import …      import a file (CSV, XLSX, vCard, iCalendar, mail); see accord import --help
    accord export …      export records to CSV, XLSX or JSON; see accord export --help
    accord backup FILE   write the whole instance (data and files) into one archive
    accord restore FILE  restore an archive written by accord backup into an empty database
    accord createadmin   create an administrator account
    accord manage …      any manage.py command (migrate, load_demo, shell, …)

Settings default to `accord.settings.dev` (SQLite under var/ unless DATABASE_URL says otherwise).
"""

from __future__ import annotations

import argparse
import atexit
import getpass
import os
import subprocess
import sys
import time

DEFAULT_SETTINGS = "accord.settings.dev"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _say(text: str) -> None:
    print(text, flush=True)


def _prepare_database() -> None:
    from django.core.management import call_command

    _say("Preparing the database …")
    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int) -> None:
    """Serve; static files come from the source folders (dev settings) or, with other settings,
    from STATIC_ROOT, collected first."""
    from django.conf import settings
    from django.core.management import call_command

    if not getattr(settings, "WHITENOISE_AUTOREFRESH", False):
        call_command("collectstatic", interactive=False, verbosity=0)
    _say(f"Accord is running at http://{host}:{port}/ — stop it with Ctrl+C.")
    call_command("runserver", f"{host}:{port}", use_reloader=False)


def _start_worker() -> None:
    """A worker process beside the server, stopped when the server stops."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "accord.cli", "worker", "--verbosity", "0"], env=env
    )
    _say(f"A background worker is running (process {worker.pid}).")

    def stop() -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    atexit.register(stop)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    _prepare_database()
    if args.with_worker:
        _start_worker()
    _serve(args.host, args.port)
    return 0


# `accord <name> …` runs this management command with the same arguments (options included).
PASSTHROUGH = {
    "worker": ("accord_worker", "run background jobs and periodic jobs"),
    "import": ("accord_import", "import a file (CSV, XLSX, vCard, iCalendar, mail)"),
    "export": ("accord_export", "export records to CSV, XLSX or JSON"),
    "backup": ("accord_backup", "write the whole instance into one archive"),
    "restore": ("accord_restore", "restore an archive into an empty database"),
}


def _run_command(name: str, command: str, arguments: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line([f"accord {name}", command, *arguments])
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _setup()
    from accord.demo import generator
    from accord.demo.accounts import DEMO_USERS, login_text
    from accord.users.models import User

    _prepare_database()
    if generator.database_is_empty():
        _say(
            "Loading the demo data (about 300 organizations, 1,200 people, 20,000 interactions, 1,500 opportunities) …"
        )
        started = time.monotonic()
        last = {"stage": ""}

        def progress(stage: str, done: int, total: int) -> None:
            if stage != last["stage"] or done == total:
                last["stage"] = stage
                _say(f"  {stage:<24} {done:>8,} / {total:,}")

        generator.generate(seed=args.seed, progress=progress)
        _say(f"Demo data loaded in {time.monotonic() - started:.1f} s.")
    elif User.objects.filter(email=DEMO_USERS[0][0]).exists():
        _say("The demo data is already loaded.")
    else:
        _say(
            "The database already holds data, so the demo data was not loaded.\n"
            "To replace everything with the demo data: accord manage load_demo --flush"
        )
        if not args.no_worker:
            _start_worker()
        _serve(args.host, args.port)
        return 0
    from accord.portal.models import PortalAccount

    first_portal = PortalAccount.objects.filter(is_active=True).order_by("pk").first()
    _say(login_text(portal_email=first_portal.email if first_portal else ""))
    if not args.no_worker:
        _start_worker()
    _serve(args.host, args.port)
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from accord.users.models import User

    _prepare_database()
    email = (args.email or input("Email: ")).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        _say(f"“{email}” is not a valid email address.")
        return 1
    if User.objects.filter(email__iexact=email).exists():
        _say(f"A user with the email {email} exists already.")
        return 1
    password = os.environ.get("ACCORD_ADMIN_PASSWORD") or ""
    while not password:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            _say("The passwords differ; try again.")
            continue
        password = first
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        _say("The password is not accepted: " + " ".join(exc.messages))
        return 1
    User.objects.create_superuser(email=email, password=password)
    _say(f"Administrator {email} created.")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["accord manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Accord: relationship management for clients, suppliers, partners and "
        "communities.",
    )
    commands = parser.add_subparsers(dest="command", metavar="command")

    def with_address(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--host", default=os.environ.get("ACCORD_HOST", "127.0.0.1"))
        sub.add_argument("--port", type=int, default=int(os.environ.get("ACCORD_PORT", "8000")))

    serve = commands.add_parser("serve", help="migrate and serve on http://127.0.0.1:8000")
    with_address(serve)
    serve.add_argument("--with-worker", action="store_true", help="also start a background worker")
    serve.set_defaults(run=cmd_serve)

    demo = commands.add_parser(
        "demo", help="load the demo data into an empty database, print the login, serve"
    )
    with_address(demo)
    demo.add_argument("--seed", type=int, default=42, help="seed of the demo data")
    demo.add_argument("--no-worker", action="store_true", help="do not start a worker")
    demo.set_defaults(run=cmd_demo)

    for name, (_command, text) in PASSTHROUGH.items():
        # listed for --help; main() hands their arguments to the command untouched
        commands.add_parser(name, help=text, add_help=False)

    admin = commands.add_parser(
        "createadmin",
        help="create an administrator (password from ACCORD_ADMIN_PASSWORD or asked)",
    )
    admin.add_argument("--email")
    admin.set_defaults(run=cmd_createadmin)

    manage = commands.add_parser("manage", help="run a manage.py command", add_help=False)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(run=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PASSTHROUGH:
        return _run_command(argv[0], PASSTHROUGH[argv[0]][0], argv[1:])
    if argv and argv[0] == "manage":
        return cmd_manage(argparse.Namespace(arguments=argv[1:]))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
