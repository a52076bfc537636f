"""LINE, where Thai units actually talk: an optional LINE Official Account channel through the
Messaging API (LINE Notify closed in 2025).

- `push(to, text, retry_key)`: one text message to a linked LINE user. The retry key
  (`X-Line-Retry-Key`, a UUID derived from the send log's row) makes a repeated push of the same
  row a no-op on LINE's side: LINE answers 409 and the message counts as sent.
- `signature_valid(body, signature)`: the webhook's `X-Line-Signature` (HMAC-SHA256 of the body
  with the channel secret, base64).

Settings: `LINE_CHANNEL_TOKEN` (the channel access token) and `LINE_CHANNEL_SECRET`; without a
token the channel is simply absent (no linking, no sending). `LINE_API_URL` is LINE's address
(tests point it at a local fake server). Two calls do not justify the official SDK, which brings
aiohttp and pydantic: the standard library's urllib does them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid

from django.conf import settings

TEXT_LIMIT = 5000  # LINE's limit for one text message
TIMEOUT = 20  # seconds; see calendar_app.notify.LEASE


class LineError(Exception):
    pass


def enabled() -> bool:
    return bool(settings.LINE_CHANNEL_TOKEN)


def retry_key(delivery_pk: int) -> str:
    """The same UUID for the same send-log row, whoever sends it and however often."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ita-portal-delivery:{delivery_pk}"))


def push(to: str, text: str, *, retry: str) -> None:
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1] + "…"
    body = json.dumps({"to": to, "messages": [{"type": "text", "text": text}]}).encode()
    request = urllib.request.Request(
        settings.LINE_API_URL.rstrip("/") + "/v2/bot/message/push",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {settings.LINE_CHANNEL_TOKEN}",
            "Content-Type": "application/json",
            "X-Line-Retry-Key": retry,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as error:
        if error.code == 409:  # this retry key was accepted before: already sent
            return
        detail = error.read()[:200].decode("utf-8", "replace")
        raise LineError(f"LINE answered {error.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise LineError(f"LINE could not be reached: {error}") from None


def signature_valid(body: bytes, signature: str) -> bool:
    secret = settings.LINE_CHANNEL_SECRET
    if not secret or not signature:
        return False
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature)
