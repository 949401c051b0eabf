"""`manage.py seed_demo`: a realistic demo office to explore the product with.

Creates the office and two partner agencies, teams, one person per role, and three projects with
the full six-level hierarchy (project → sub-project → activity → sub-activity → task → subtask),
stand-alone events and staff tasks, with venues, times and dates spread over a year around today.
Everything is written through `common.services`, exactly as the product writes it. Running it
again does nothing once the demo office exists.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Team, TeamMembership, User
from accounts.roles import ADMINISTRATOR, MANAGER, STAFF, VIEWER, assign_role
from common.models import Status, WorkItem
from common.services import create_work_item, update_work_item

OFFICE = "Office for Other Bangsamoro Communities"

PEOPLE = [
    # username, first, last, organisation key, role, teams
    ("amina", "Amina", "Datu", "office", ADMINISTRATOR, []),
    ("rashid", "Rashid", "Mangudadatu", "office", MANAGER, ["Planning", "Field Coordination"]),
    ("fatima", "Fatima", "Alonto", "office", STAFF, ["Field Coordination"]),
    ("jamal", "Jamal", "Usman", "office", STAFF, ["Planning"]),
    ("noraida", "Noraida", "Lucman", "office", VIEWER, []),
    ("samira", "Samira", "Ampatuan", "mssd", STAFF, ["Social Welfare Liaison"]),
    ("omar", "Omar", "Sinsuat", "mafar", MANAGER, []),
]

PROJECTS = [
    (
        "Livelihood Support for OBC Communities in Zamboanga",
        "Seaweed farming and fish-processing livelihood for coastal communities.",
        "Zamboanga City",
    ),
    (
        "Madrasah Teacher Training Programme",
        "Accreditation and pedagogy training for Arabic-language and Islamic values teachers.",
        "Iligan City",
    ),
    (
        "Community Health and Halal Nutrition Outreach",
        "Mobile clinics and nutrition sessions in upland communities.",
        "Cotabato City",
    ),
]

ACTIVITY_KINDS = [
    ("Stakeholder consultation", "consultation"),
    ("Capacity-building workshop", "workshop"),
    ("Field validation visit", "field_visit"),
]
TASKS = [
    "Draft concept note",
    "Confirm venue and logistics",
    "Send invitations",
    "Prepare attendance sheets",
    "Write activity report",
]
SUBTASKS = ["Collect quotations", "Get approval of the budget", "Book transport"]


class Command(BaseCommand):
    help = "Load a demo office with people, teams and three fully nested projects."

    def handle(self, *args, **options):
        if Organization.objects.filter(name=OFFICE).exists():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        rng = random.Random(2026)
        password = secrets.token_urlsafe(9)
        with transaction.atomic():
            orgs, people, teams = self._people(password)
            created = self._work(orgs["office"], people, teams, rng)
            created += self._partner_work(orgs["mssd"], people)
        self.stdout.write(self.style.SUCCESS(f"Demo office loaded: {created} work items."))
        self.stdout.write(
            "Demo sign-ins (all share one password): "
            + ", ".join(f"{u} ({r})" for u, _, _, _, r, _ in PEOPLE)
        )
        self.stdout.write(f"  demo password: {password}")

    def _people(self, password: str):
        orgs = {
            "office": Organization.objects.create(name=OFFICE, acronym="OOBC", kind="office"),
            "mssd": Organization.objects.create(
                name="Ministry of Social Services and Development", acronym="MSSD", kind="partner"
            ),
            "mafar": Organization.objects.create(
                name="Ministry of Agriculture, Fisheries and Agrarian Reform",
                acronym="MAFAR",
                kind="partner",
            ),
        }
        teams: dict[str, Team] = {}
        people: dict[str, User] = {}
        for username, first, last, org_key, role, team_names in PEOPLE:
            user = User.objects.create_user(
                username,
                password=password,
                first_name=first,
                last_name=last,
                organization=orgs[org_key],
                email=f"{username}@example.org",
                is_staff=role in (ADMINISTRATOR, MANAGER),
            )
            assign_role(user, role)
            people[username] = user
            for team_name in team_names:
                if team_name not in teams:
                    teams[team_name] = Team.objects.create(
                        organization=orgs[org_key], name=team_name
                    )
                TeamMembership.objects.create(
                    team=teams[team_name], user=user, is_lead=role == MANAGER
                )
        return orgs, people, teams

    def _work(self, office, people, teams, rng: random.Random) -> int:
        today = timezone.localdate()
        year_start = today - dt.timedelta(days=120)
        staff = [people["fatima"], people["jamal"], people["rashid"]]
        count = 0
        for p_index, (title, description, city) in enumerate(PROJECTS):
            start = year_start + dt.timedelta(days=30 * p_index)
            project = create_work_item(
                None,
                work_type="project",
                title=title,
                description=description,
                organization=office,
                start_date=start,
                due_date=start + dt.timedelta(days=330),
                status=Status.IN_PROGRESS,
                priority=["high", "medium", "urgent"][p_index],
                allocated_budget=rng.choice([2_500_000, 4_800_000, 1_750_000]),
                details={
                    "workflow_stage": "implementation",
                    "fiscal_year": start.year,
                    "funding_source": "General Appropriations",
                },
                teams=[teams["Planning"]],
            )
            count += 1
            for s_index, phase in enumerate(["Preparation", "Implementation"]):
                s_start = start + dt.timedelta(days=150 * s_index)
                sub_project = create_work_item(
                    None,
                    work_type="sub_project",
                    title=f"{phase} phase",
                    parent=project,
                    start_date=s_start,
                    due_date=s_start + dt.timedelta(days=150),
                )
                count += 1
                for a_index, (a_title, event_type) in enumerate(ACTIVITY_KINDS):
                    day = s_start + dt.timedelta(days=20 + 40 * a_index + rng.randint(0, 10))
                    activity = create_work_item(
                        None,
                        work_type="activity",
                        title=f"{a_title} in {city}",
                        parent=sub_project,
                        start_date=day,
                        due_date=day + dt.timedelta(days=a_index % 2),
                        start_time=dt.time(9),
                        end_time=dt.time(16),
                        details={
                            "event_type": event_type,
                            "venue": f"{city} Function Hall",
                            "expected_participants": rng.randint(25, 120),
                        },
                        assignees=[rng.choice(staff)],
                        teams=[teams["Field Coordination"]],
                    )
                    count += 1
                    session = create_work_item(
                        None,
                        work_type="sub_activity",
                        title="Breakout session",
                        parent=activity,
                        start_date=day,
                        due_date=day,
                        start_time=dt.time(13),
                        end_time=dt.time(15),
                        details={"event_type": "workshop", "venue": "Breakout room B"},
                    )
                    count += 1
                    for t_index, t_title in enumerate(TASKS[: 2 + a_index]):
                        task = create_work_item(
                            None,
                            work_type="task",
                            title=t_title,
                            parent=session,
                            start_date=day - dt.timedelta(days=14 - 3 * t_index),
                            due_date=day - dt.timedelta(days=10 - 3 * t_index),
                            priority=rng.choice(["low", "medium", "high"]),
                            assignees=[rng.choice(staff)],
                            details={"domain": "coordination", "estimated_hours": 4 + t_index},
                        )
                        count += 1
                        for st_title in SUBTASKS[: 1 + t_index % 3]:
                            create_work_item(None, work_type="subtask", title=st_title, parent=task)
                            count += 1
                        self._advance(task, day, today, rng)
                    if day < today:  # past events are done, and so is their breakout session
                        update_work_item(None, session, status=Status.COMPLETED)
                        update_work_item(None, activity, status=Status.COMPLETED)
        count += self._standalone(office, people, today)
        return count

    def _advance(self, task: WorkItem, event_day: dt.date, today: dt.date, rng) -> None:
        """Past work is done, current work is under way, future work has not started."""
        subtasks = list(task.children.all())
        if event_day < today:
            for subtask in subtasks:
                update_work_item(None, subtask, status=Status.COMPLETED)
            update_work_item(None, task, status=Status.COMPLETED)
        elif event_day < today + dt.timedelta(days=30):
            for subtask in subtasks[:1]:
                update_work_item(
                    None, subtask, status=Status.IN_PROGRESS, progress=rng.choice([20, 50, 80])
                )

    def _standalone(self, office, people, today: dt.date) -> int:
        create_work_item(
            None,
            work_type="activity",
            title="Monthly coordination meeting",
            organization=office,
            start_date=today + dt.timedelta(days=3),
            due_date=today + dt.timedelta(days=3),
            start_time=dt.time(10),
            end_time=dt.time(12),
            details={
                "event_type": "meeting",
                "venue": "OOBC Conference Room",
                "is_virtual": True,
                "virtual_platform": "Jitsi",
            },
        )
        create_work_item(
            None,
            work_type="task",
            title="Submit quarterly accomplishment report",
            organization=office,
            due_date=today - dt.timedelta(days=2),
            priority="urgent",
            status=Status.IN_PROGRESS,
            progress=60,
            assignees=[people["fatima"]],
        )
        create_work_item(
            None,
            work_type="task",
            title="Update the community profile database",
            organization=office,
            start_date=today,
            due_date=today + dt.timedelta(days=6),
            assignees=[people["jamal"]],
        )
        return 3

    def _partner_work(self, partner, people) -> int:
        today = timezone.localdate()
        project = create_work_item(
            None,
            work_type="project",
            title="Social pension validation (MSSD)",
            organization=partner,
            start_date=today - dt.timedelta(days=30),
            due_date=today + dt.timedelta(days=90),
            status=Status.IN_PROGRESS,
        )
        create_work_item(
            None,
            work_type="task",
            title="Validate beneficiary lists",
            parent=project,
            due_date=today + dt.timedelta(days=10),
            assignees=[people["samira"]],
        )
        return 2
