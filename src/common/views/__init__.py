"""Server-rendered work item pages. Reads use `common.queries`; writes call `common.services`."""
