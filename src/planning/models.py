"""Planning's own records (working days, saved views); work items themselves live in `common`."""
