"""The bell, the list, marking as read, and each person's settings."""

from notifications.models import Notification, Preference


def test_the_bell_shows_the_unread_count_and_the_list_shows_them(client, cast):
    Notification.objects.create(user=cast.staff, kind="assigned", message="You were assigned")
    Notification.objects.create(user=cast.manager, kind="assigned", message="Not for Sofia")
    client.force_login(cast.staff)
    home = client.get("/").content.decode()
    assert "Notifications, 1 unread" in home
    inbox = client.get("/notifications/").content.decode()
    assert "You were assigned" in inbox
    assert "Not for Sofia" not in inbox


def test_marking_read_and_all_read(client, cast):
    first = Notification.objects.create(user=cast.staff, kind="assigned", message="one")
    Notification.objects.create(user=cast.staff, kind="assigned", message="two")
    client.force_login(cast.staff)
    client.post(f"/notifications/{first.pk}/read/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_can_mark_someone_elses_notification(client, cast):
    other = Notification.objects.create(user=cast.manager, kind="assigned", message="x")
    client.force_login(cast.staff)
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404


def test_settings_are_validated_and_saved(client, cast):
    # The form moved to the profile page; its old address passes posts on (307).
    client.force_login(cast.staff)
    bad = client.post(
        "/notifications/", {"reminder_days": "1, soon", "email_enabled": "on"}, follow=True
    )
    assert bad.status_code == 400
    assert "“soon” is not a number of days" in bad.content.decode()
    client.post("/notifications/", {"reminder_days": "7, 2", "daily_digest": "on"}, follow=True)
    preference = Preference.objects.get(user=cast.staff)
    assert preference.reminder_days == [2, 7]
    assert preference.daily_digest is True
    assert preference.email_enabled is False
