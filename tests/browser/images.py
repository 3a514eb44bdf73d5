"""What a visitor sees of an image, in the browser tests."""

from playwright.sync_api import expect


def expect_image_shown(image):
    """Wait for the image ``image`` (a Locator) to finish loading, then check that it
    decoded: visible from its width and height attributes alone, it may still be on its
    way (no width yet: the check failed one run in a dozen), and a broken one loads with
    no width."""
    expect(image).to_be_visible()
    image.page.wait_for_function("image => image.complete", arg=image.element_handle())
    assert image.evaluate("image => image.naturalWidth") > 0
