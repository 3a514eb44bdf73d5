"""Forms tell what is wrong once, calmly, and tie each message to its field."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_error_summary_links_to_each_field_and_the_field_to_its_message(client):
    html = client.post("/join/", {"contact_email": "not an address"}).content.decode()

    summary = re.search(
        r'<div class="form-errors" role="alert" tabindex="-1" autofocus>.*?</div>', html, re.S
    )
    assert 'href="#id_legal_name"' in summary.group()
    assert 'href="#id_contact_email"' in summary.group()
    field = re.search(r'<input[^>]*id="id_contact_email"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_contact_email_error"' in field
    assert '<ul class="errorlist" id="id_contact_email_error">' in html
    assert html.count('role="alert"') == 1
