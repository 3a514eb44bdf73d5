"""Outgoing email."""

from django.core.mail import send_mail
from django.template.loader import render_to_string


def email_send(template, context, *, to, subject):
    body = render_to_string(f"{template}.txt", context)
    send_mail(str(subject), body, None, to)
