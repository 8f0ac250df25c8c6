"""A refused comment's text, kept for the page the person is sent back to, so nothing they wrote is lost: the
comment form posts and redirects, and a comment too long to add comes back in its box with the refusal above it."""

from django.http import HttpRequest

SESSION_KEY = "comment_draft"


def comment_draft_keep(request: HttpRequest, target: str, body: str) -> None:
    """Keep ``body`` for the box ``target`` ("step:<step>" or "reply:<comment id>") until the next page shows it."""
    if body.strip():
        request.session[SESSION_KEY] = {"target": target, "body": body}


def comment_draft_take(request: HttpRequest, targets: set[str]) -> tuple[str, str]:
    """The kept (target, body) when it belongs to one of ``targets`` (then forgotten), else ("", "")."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("target") not in targets:
        return "", ""
    del request.session[SESSION_KEY]
    return str(kept["target"]), str(kept.get("body", ""))
