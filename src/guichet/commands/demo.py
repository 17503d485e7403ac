"""`guichet demo`: the demo catalogue and one demo login per role, printed on the console."""

from __future__ import annotations

import argparse

DEMO_PASSWORD = "guichet-demo"
# username, role, authority name (None for agency staff), superuser
DEMO_LOGINS = (
    ("admin", "agency", None, True),
    ("agence", "agency", None, False),
    ("besancon", "officer", "Grand Besançon Métropole", False),
    ("belfort", "officer", "Grand Belfort Communauté d'Agglomération", False),
)


def run(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from django.db import transaction

    from guichet.accounts.models import User
    from guichet.accounts.services import user_set_role
    from guichet.catalogue.demo import demo_catalogue_load
    from guichet.catalogue.models import Authority
    from guichet.projects.demo import demo_portfolio_load, demo_project_load
    from guichet.territory.models import Commune

    if not Commune.objects.exists():
        print("No territory data: run `guichet data load` first.")
        return 2
    with transaction.atomic():
        admin, _ = User.objects.get_or_create(username="admin", defaults={"role": "agency"})
        counts = demo_catalogue_load(actor=admin)
        user_set_role(user=admin, role="agency")
        project = demo_project_load(actor=admin)
        portfolio = demo_portfolio_load(actor=admin)
        rows = []
        for username, role, authority_name, superuser in DEMO_LOGINS:
            authority_id = Authority.objects.get(name=authority_name).pk if authority_name else None
            user, _ = User.objects.get_or_create(
                username=username, defaults={"role": role, "authority_id": authority_id}
            )
            user.is_superuser = superuser
            # Demo addresses (.invalid never reaches anybody): the console shows the e-mails they get.
            user.email = f"{username}@demo.guichet.invalid"
            user.set_password(DEMO_PASSWORD)
            user_set_role(user=user, role=role, authority_id=authority_id)
            rows.append((username, role, authority_name or "—"))
    print(
        f"Demo catalogue (records marked DEMO): {counts['authorities']} authorities, "
        f"{counts['premises']} premises, {counts['incentives']} incentives, {counts['sites']} business park; "
        f"project {project.code_name} sized at {project.seats} seats; "
        f"a pipeline of {portfolio} demo projects over five years for the dashboard."
    )
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
    print(f"  {'username':<10} {'role':<8} authority")
    for username, role, authority in rows:
        print(f"  {username:<10} {role:<8} {authority}")
    print()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="load the demo catalogue and create the demo logins")
    parser.set_defaults(handler=run)
