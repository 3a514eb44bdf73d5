import re

import pytest
from playwright.sync_api import expect

from cluster import roles
from tests.cluster.factories import StudentFactory
from tests.cluster.staff import invoice, staff_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_accountant_follows_the_to_do_to_the_overdue_invoices_and_never_sees_a_student(
    live_server, page
):
    staff_member(roles.ACCOUNTING, username="compta@pole.example")
    overdue = [invoice(overdue=True) for _ in range(2)]
    paid = invoice(overdue=False)
    StudentFactory(first_name="Xanthippe", last_name="Quibbleworth")

    page.goto(live_server.url + "/admin/")
    # The fields by id: their labels are another piece of work (login by email).
    page.locator("#id_username").fill("compta@pole.example")
    page.locator("#id_password").fill("s3cret-pass!")
    page.locator("#login-form [type=submit]").click()

    todo = page.locator("#cite-todo")
    expect(todo.get_by_role("table")).to_contain_text("À faire")
    expect(todo.locator("#todo-invoices")).to_contain_text("Factures en retard")
    expect(todo.locator("#todo-invoices .todo__count")).to_have_text("2")
    expect(todo.locator("#todo-applications")).to_have_count(0)  # not the accountant's
    expect(page.get_by_role("link", name="Étudiants")).to_have_count(0)

    todo.get_by_role("link", name="Factures en retard").click()

    expect(page).to_have_url(re.compile(r"/admin/members/invoice/\?payment_status=overdue$"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    for issued in overdue:
        expect(page.locator("#result_list")).to_contain_text(issued.number)
    expect(page.locator("#result_list")).not_to_contain_text(paid.number)

    response = page.goto(live_server.url + "/admin/cluster/student/")
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text("Quibbleworth")
    page.goto(live_server.url + "/staff/dashboard/")
    expect(page.locator("#figure-dues")).to_be_visible()
    expect(page.locator("#figure-students")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Étudiants")
