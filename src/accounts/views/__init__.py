"""Pages of the accounts app: People (managers), Profile (everyone), joining and password reset."""
