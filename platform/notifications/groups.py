"""Names of the channel-layer groups notifications uses.

Every websocket a person opens on Ruche may join their personal group, `user.<id>`, to hear
about things addressed to them alone: the unread count (this app), the order to leave a
private community's groups after a removal (communities). A message sent there reaches every
such socket, so a consumer that joins it must ignore message types it does not handle
(`notifications.consumers.PersonalGroupMixin` does that).
"""

from __future__ import annotations


def user_group(user_id: int) -> str:
    """The personal channel-layer group of one person."""
    return f"user.{int(user_id)}"
