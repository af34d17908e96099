"""The htmx events views send (``HX-Trigger``) and cards listen for (``<name> from:body``).

Send them with ``django_htmx.http.trigger_client_event(response, events.X)``, never a string
literal. Each one has a listener in templates/ and each listener's event is here: checked by
tests/test_events.py, so an event nobody hears (or a card waiting for one nobody sends)
fails the suite.
"""

# A paper was added, read, edited or removed: every reading count may change.
PAPER_LOGGED = "paperLogged"
# The reading queue's order changed: the dashboard's up-next card.
PAPER_QUEUED = "paperQueued"
# Something goals count that is not a paper: a project or replication, a work session, a
# custom count. Streak, goals, heatmap and the work card refresh.
ACTIVITY_LOGGED = "activityLogged"
# A goal or a week break was added, edited or removed.
GOALS_CHANGED = "goalsChanged"
# A recall prompt was rated on the review page: the dashboard's recall card refreshes.
RECALL_REVIEWED = "recallReviewed"
