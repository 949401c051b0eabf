"""In a real browser: write a comment with a keyboard-picked @mention, see it in the stream,
and the mentioned person finds the notice; script in a comment never runs."""

import pytest

from testing.a11y import check_page
from testing.browser import new_tab, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_conversation(page, live_server, item):
    page.goto(f"{live_server.url}/oobc-management/work-items/{item.pk}/")
    page.wait_for_selector("[data-testid=conversation]")


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 120, 90)).save(out, "PNG")
    return out.getvalue()


def test_a_comment_with_a_keyboard_mention_and_a_picture_reaches_the_person(
    page, browser, live_server, cast, consultation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sign_in(page, live_server, "marco")
    open_conversation(page, live_server, consultation)
    box = page.locator("#comment-body")
    box.click()
    box.type("Please check the hall @so")
    page.wait_for_selector(".mention-list [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")  # picks the highlighted suggestion
    box.type("and confirm **today**.")
    assert "@sofia " in box.input_value()
    page.set_input_files(
        "#comment-files", files=[{"name": "hall.png", "mimeType": "image/png", "buffer": _png()}]
    )
    assert "hall.png" in page.inner_text("[data-chosen-files]")
    page.click("#conversation button:has-text('Comment')")
    page.wait_for_selector("[data-testid=comment-body] strong")
    thumbnail = page.locator("[data-testid=comment] [data-testid=file] img").first
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) == 60
    body = page.inner_text("[data-testid=comment-body]")
    assert "@sofia" in body and "today" in body
    check_page(page, "conversation")
    page.reload()
    page.wait_for_selector("[data-testid=comment-body]")
    assert "today" in page.inner_text("[data-testid=stream]")
    assert not page.problems

    sofia = new_tab(browser)
    try:
        sign_in(sofia, live_server, "sofia")
        sofia.goto(f"{live_server.url}/notifications/")
        assert "Marco mentioned you on “Provincial consultation”" in sofia.inner_text("main")
    finally:
        sofia.context.close()


def test_script_in_a_comment_never_runs(page, live_server, cast, consultation):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "sofia")
    open_conversation(page, live_server, consultation)
    page.fill(
        "#comment-body",
        '<img src=x onerror="alert(1)"> [x](javascript:alert(2)) <script>alert(3)</script>',
    )
    page.click("#conversation button:has-text('Comment')")
    page.wait_for_selector("[data-testid=comment-body]")
    page.reload()
    page.wait_for_selector("[data-testid=comment-body]")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("[data-testid=comment-body] img").count() == 0


def test_the_stream_filter_and_watch_button_work_at_phone_width(
    touch_page, live_server, cast, consultation
):
    from collaboration.services import post_comment

    post_comment(cast.staff, consultation, "Hall booked.")
    page = touch_page
    sign_in(page, live_server, "victor")
    open_conversation(page, live_server, consultation)
    page.click("#conversation button:has-text('Watch')")
    page.wait_for_selector("[data-testid=watching]")
    page.click("#conversation a:has-text('Changes')")
    page.wait_for_selector("#conversation a[aria-current]:has-text('Changes')")
    assert page.locator("[data-testid=change]").count() >= 1
    assert page.locator("[data-testid=comment]").count() == 0
    check_page(page, "conversation-viewer", widths=(390,))


def test_a_refused_comment_says_why_in_place_and_keeps_the_words(
    page, live_server, cast, consultation
):
    sign_in(page, live_server, "sofia")
    open_conversation(page, live_server, consultation)
    from collaboration.models import Comment

    # A colleague whose role has not been given yet cannot see the item, so cannot be named.
    type(cast.viewer).objects.create_user("newcomer", organization=cast.office, password="x" * 12)
    page.fill("#comment-body", "@newcomer please check the hall")
    page.click("#conversation button:has-text('Comment')")
    page.wait_for_selector("#comment-errors")
    assert "cannot see this item" in page.inner_text("#comment-errors")
    assert page.input_value("#comment-body") == "@newcomer please check the hall"
    assert not Comment.objects.exists()
