"""The customer's own page, linked from the first message about a case.

The acknowledgement of a complaint and the receipt of a return point the customer to
their own page when a link to it can be made: their templates take it as `case_url`
(`core/wording/templates/mail/`). The link is made here, on the way to the provider,
rather than by the workflow: minting it is no external effect, and running workflows
replay unchanged. A worker without a usable `REDRESS_SECRET_KEY`
sends the message without the link: the acknowledgement matters more than the link.
"""

import logging

from activities.notifications.base import NotificationProvider
from core.links import CaseKind, case_link_token, case_page_url
from core.settings import Settings
from domain.notifications import Notification, NotificationReceipt, NotificationTemplate

logger = logging.getLogger(__name__)

CASE_URL = "case_url"

# The messages that carry the link: the kind of case, and the parameter naming its id.
CASE_PAGE_MESSAGES: dict[NotificationTemplate, tuple[CaseKind, str]] = {
    NotificationTemplate.ACKNOWLEDGEMENT: (CaseKind.COMPLAINT, "complaint_id"),
    NotificationTemplate.RETURN_RECEIVED: (CaseKind.RETURN, "return_id"),
}


RETURN_CASE_REF_PREFIX = "return-"


def notified_case(notification: Notification) -> tuple[CaseKind, str]:
    """Returns the kind and id of the case a message is about, from the values every case
    sends with its messages (a survey's name the case it follows)."""
    params = notification.params
    if params.get("complaint_id"):
        return CaseKind.COMPLAINT, params["complaint_id"]
    if params.get("return_id"):
        return CaseKind.RETURN, params["return_id"]
    if params.get("case_ref") and params.get("case_kind") in set(CaseKind):
        return CaseKind(params["case_kind"]), params["case_ref"]
    # Messages file a return under its workflow id (`return-<id>`), a complaint under its id.
    ref = notification.complaint_id
    if ref.startswith(RETURN_CASE_REF_PREFIX):
        return CaseKind.RETURN, ref.removeprefix(RETURN_CASE_REF_PREFIX)
    return CaseKind.COMPLAINT, ref


def case_page_link(settings: Settings, kind: CaseKind, case_id: str) -> str | None:
    """Returns the link to the customer's page of the case, or None (logged) when this
    worker has no usable `REDRESS_SECRET_KEY` to sign it with."""
    try:
        token = case_link_token(
            settings.secret_key, kind=kind, case_id=case_id, days=settings.customer_link_days
        )
    except ValueError as no_secret:
        logger.warning("%s %s goes without its page link: %s", kind, case_id, no_secret)
        return None
    return case_page_url(settings.effective_public_base_url, token)


class CaseLinkNotifier:
    """A `NotificationProvider` that adds the customer's page link to the messages that
    have a place for it, then hands every message to `provider`."""

    def __init__(self, provider: NotificationProvider, settings: Settings) -> None:
        self._provider = provider
        self._settings = settings

    def send(self, notification: Notification) -> NotificationReceipt:
        """Returns the provider's receipt for the message, with the link when it has one."""
        return self._provider.send(self._with_case_url(notification))

    def _with_case_url(self, notification: Notification) -> Notification:
        carried = CASE_PAGE_MESSAGES.get(notification.template)
        params = notification.params
        if carried is None or CASE_URL in params:
            return notification
        kind, id_param = carried
        case_id = params.get(id_param, "")
        if not case_id:
            return notification
        url = case_page_link(self._settings, kind, case_id)
        if url is None:
            return notification
        return notification.model_copy(update={"params": params | {CASE_URL: url}})
