"""A mail server for tests that run workers in other processes: each message is written to
the file named by ``CITE_MAIL_SINK`` ("start" and its address as the send begins, "done"
and its address when the server would have accepted it), ``CITE_MAIL_SINK_DELAY`` seconds
apart."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


def _write(line):
    with open(os.environ["CITE_MAIL_SINK"], "a") as sink:
        sink.write(line + "\n")
        sink.flush()
        os.fsync(sink.fileno())


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            _write(f"start {message.to[0]}")
            time.sleep(float(os.environ.get("CITE_MAIL_SINK_DELAY", "0.05")))
            _write(f"done {message.to[0]}")
        return len(email_messages)
