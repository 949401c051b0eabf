"""Calendar colours: one per work type, muted once an item is done (see docs/calendar.md)."""

TYPE_COLOURS = {
    "project": "#4F46E5",  # indigo
    "sub_project": "#7C3AED",  # violet
    "activity": "#059669",  # emerald
    "sub_activity": "#0D9488",  # teal
    "task": "#D97706",  # amber
    "subtask": "#EA580C",  # orange
}
COMPLETED_COLOUR = "#94A3B8"  # slate: done, still visible
CANCELLED_COLOUR = "#CBD5E1"  # pale slate: called off


def colour_for(work_type: str, status: str, override: str = "") -> str:
    """The item's own colour wins, unless it is done: done items are muted for everyone."""
    if status == "completed":
        return COMPLETED_COLOUR
    if status == "cancelled":
        return CANCELLED_COLOUR
    return override or TYPE_COLOURS[work_type]


#: The colours people may pick for an item (the form's colour picker), by name: the type
#: colours first, then a few more, each at least 3:1 against white so a swatch stays visible.
PICKER_COLOURS = [
    ("#4F46E5", "Indigo"),
    ("#7C3AED", "Violet"),
    ("#059669", "Emerald"),
    ("#0D9488", "Teal"),
    ("#D97706", "Amber"),
    ("#EA580C", "Orange"),
    ("#0284C7", "Sky"),
    ("#DB2777", "Pink"),
    ("#DC2626", "Red"),
    ("#475569", "Slate"),
]
