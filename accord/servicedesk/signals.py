"""What happens on a case that other apps may act on (the client portal mails its clients).

Sent by the case services inside their transaction; a receiver that mails defers it to the
commit (`transaction.on_commit`).

* `case_answered(sender=Case, case, interaction)`: our side wrote to the client in the case's
  conversation (an outbound interaction was added).
* `case_status_changed(sender=Case, case, old, new)`: the case moved from status `old` to `new`.
"""

from django.dispatch import Signal

case_answered = Signal()
case_status_changed = Signal()
