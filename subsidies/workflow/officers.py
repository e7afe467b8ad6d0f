"""Who may take a step: the maker–checker rule, in one place.

A batch's approval, a return recorded by hand and a reissue to another account each need
a second officer: whoever asked for the step (submitted the batch, requested the return
or reissue) cannot approve it. Officers are named by ``--by`` today; when they sign in
with roles, this is the one check to change. The database holds the same rule for
payment requests (trigger ``payment_request_decisions_second_officer``, migration 0010).
"""

from __future__ import annotations

from subsidies.workflow.base import WorkflowError


def second_officer(maker: str, checker: str, deed: str) -> None:
    """Refuse ``checker``'s approval of what ``maker`` did (``deed``, e.g. "submitted batch
    B…") when they are the same officer."""
    if checker.strip() == maker.strip():
        raise WorkflowError(
            f"{checker} {deed} and cannot approve it: approval needs a second officer "
            "(maker–checker)"
        )
