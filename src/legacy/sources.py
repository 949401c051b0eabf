"""Names of the three legacy trackers, as the commands and stored origins spell them."""

TASKS = "common_stafftask"
EVENTS = "coordination_event"
PROJECTS = "project_central_projectworkflow"

#: `--only` words → tables, in the order a migration must run (parents before children).
BY_WORD = {"projects": PROJECTS, "events": EVENTS, "tasks": TASKS}
ORDER = (PROJECTS, EVENTS, TASKS)
LABEL = {PROJECTS: "project workflows", EVENTS: "events", TASKS: "staff tasks"}
