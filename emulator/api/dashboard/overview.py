"""App overview: name, key, the payload-compression switch, the SQS endpoint in use, and
how many channels, messages and users the chat state holds."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..common import backend
from .blueprint import dashboard, update_app
from .hook_form import mask


@dashboard.get("/")
def overview():
    b = backend()
    status = b.status()
    return render_template(
        "dashboard/overview.html",
        app_name=status.app_name,
        api_key=b.settings.api_key,
        api_secret=mask(b.settings.api_secret),
        compress=b.app.compress_payloads,
        sqs_endpoint=status.sqs_endpoint,
        embedded=status.embedded_sqs,
        region=status.region,
        hook_count=len(b.app.event_hooks),
        totals=b.totals(),
        chat=b.chat_counts(),
    )


@dashboard.post("/settings")
def save_settings():
    compress = request.form.get("enable_hook_payload_compression") == "on"
    update_app({"enable_hook_payload_compression": compress},
               f"Payload compression {'on' if compress else 'off'}.")
    return redirect(url_for("dashboard.overview"))
