"""The unified calendar: recurrence, the FullCalendar feed, ICS subscriptions."""
