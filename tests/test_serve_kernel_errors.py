"""Dashboard kernels send no traceback to the browser, whatever the browser sends: a comm_open of a
protocol the kernel does not speak, malformed widget states, messages to comms that do not exist,
callbacks that fail. What went wrong is in the server's log (bestbits/kernel_errors.py)."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bestbits import config
from bestbits.kernel_errors import ERROR_SHOWN
from bestbits.voila_server import KERNEL_ARGUMENTS
from support.served_voila import ServedVoila

pytestmark = pytest.mark.network

# What a traceback gives away: where the program and its libraries are installed, and code.
GIVEAWAYS = ("Traceback", "site-packages", 'File "', str(config.REPO_ROOT), sys.prefix)


def message(msg_type: str, content: dict, metadata: dict | None = None) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "visitor",
                       "session": uuid.uuid4().hex, "date": "2024-01-01T00:00:00Z",
                       "version": "5.3"},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": "shell", "buffers": []}


def hostile_messages(widget_ids: list[str]) -> list[dict]:
    """What a browser other than Voila's front end may send over the kernel's websocket."""
    sent = [
        message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                              "data": {"state": {}}}, {"version": "0.0"}),
        message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "no.such.target",
                              "data": {}}),
        message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                              "data": {"state": {"_model_module": "x"}}}, {"version": "2.1.0"}),
        message("comm_msg", {"comm_id": "no-such-comm", "data": {"method": "update"}}),
    ]
    for comm_id in widget_ids:
        sent += [
            message("comm_msg", {"comm_id": comm_id, "data": {
                "method": "update", "state": {"index": "not a number", "layout": 42,
                                              "value": {"not": "a value"}}}}),
            message("comm_msg", {"comm_id": comm_id, "data": {"method": "no-such-method"}}),
            message("comm_msg", {"comm_id": comm_id, "data": {
                "method": "custom", "content": {"event": "click", "junk": [1, 2]}}}),
        ]
    return sent


async def send_and_collect(port: int, kernel_id: str) -> tuple[list[dict], int]:
    """Send the hostile messages; every message the kernel sent back, and how many were sent."""
    from tornado.websocket import websocket_connect

    # Generous waits: on a loaded 2-core machine the kernel answers slowly (speed is not tested).
    connection = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels",
                                         connect_timeout=180)
    received: list[dict] = []

    async def read_until(done) -> dict:
        """Every message up to the first that DONE accepts, which it returns."""
        while True:
            raw = await asyncio.wait_for(connection.read_message(), 180)
            assert raw is not None, "the kernel's websocket closed"
            reply = json.loads(raw)
            received.append(reply)
            if done(reply):
                return reply

    def answers(msg_id: str, msg_type: str):
        return lambda r: r["msg_type"] == msg_type and r["parent_header"].get("msg_id") == msg_id

    def idle_after(msg_id: str):
        return lambda r: answers(msg_id, "status")(r) and r["content"]["execution_state"] == "idle"

    # The reply comes on the shell channel and the idle status on iopub: the websocket carries
    # both with no order between them, so the comms are read from the reply itself.
    info = message("comm_info_request", {})
    await connection.write_message(json.dumps(info))
    comms = (await read_until(answers(info["header"]["msg_id"], "comm_info_reply")))[
        "content"]["comms"]
    widgets = [comm_id for comm_id, about in comms.items()
               if about.get("target_name") == "jupyter.widget"][:25]
    sent = hostile_messages(widgets)
    for hostile in sent:
        await connection.write_message(json.dumps(hostile))
        await read_until(idle_after(hostile["header"]["msg_id"]))
    connection.close()
    return received, len(sent)


def test_hostile_comm_messages_get_no_traceback_and_the_server_logs_it(built_db, tmp_path):
    server = ServedVoila(built_db, tmp_path / "serve.log", "--pool-size", "0")
    try:
        server.wait_until_listening()
        kernel_id = server.visit_without_browser()
        # In a thread of its own: in a whole run the browser tests' Playwright loop runs here.
        with ThreadPoolExecutor(1) as thread:
            received, sent = thread.submit(asyncio.run,
                                           send_and_collect(server.port, kernel_id)).result()
    finally:
        server.stop()
    assert sent > 4, "the page had no widgets to send messages to"
    answers = [json.dumps(r) for r in received if r["msg_type"] != "comm_info_reply"]
    assert answers, "the kernel answered nothing"
    for answer in answers:
        for giveaway in GIVEAWAYS:
            assert giveaway not in answer, (giveaway, answer[:600])
    assert not [r for r in received if r["msg_type"] == "stream"
                and r["content"]["name"] == "stderr"]
    log = server.log.read_text(errors="replace")
    assert "Incompatible widget protocol versions" in log and "Traceback" in log


# -- the kernel on its own -----------------------------------------------------------------

@pytest.fixture
def kernel(tmp_path):
    """An IPython kernel started as `bestbits serve` starts the dashboards', its stderr (the
    server's log) in a file."""
    from jupyter_client.manager import KernelManager

    log = tmp_path / "kernel.log"
    manager = KernelManager(kernel_name="python3")
    with log.open("w") as stderr:
        manager.start_kernel(extra_arguments=list(KERNEL_ARGUMENTS), stderr=stderr)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        yield client, log
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code: str) -> list[dict]:
    """CODE's iopub messages but its echo (Voila does not forward execute_input)."""
    seen: list[dict] = []
    client.execute_interactive(code, output_hook=seen.append, timeout=120)
    return [m for m in seen if m["msg_type"] != "execute_input"]


def test_a_failing_callback_shows_its_name_and_logs_its_traceback(kernel):
    client, log = kernel
    seen = run(client, "import ipywidgets\n"
                       "button = ipywidgets.Button()\n"
                       "def fail(_):\n"
                       "    raise ValueError('/secret/install/path')\n"
                       "button.on_click(fail)\n"
                       "button.click()\n")
    errors = [m["content"] for m in seen if m["msg_type"] == "error"]
    assert errors == [{"ename": "ValueError", "evalue": ERROR_SHOWN, "traceback": []}]
    assert "/secret/install/path" not in json.dumps(seen, default=str)
    assert "ValueError: /secret/install/path" in Path(log).read_text()


def test_warnings_logging_and_stderr_go_to_the_server_log_not_the_browser(kernel):
    client, log = kernel
    seen = run(client, "import logging, sys, warnings\n"
                       "warnings.warn('careful: /secret/one')\n"
                       "logging.getLogger('somewhere').error('failed: /secret/two')\n"
                       "print('written: /secret/three', file=sys.stderr)\n"
                       "print('shown', flush=True)\n")
    streams = [m["content"] for m in seen if m["msg_type"] == "stream"]
    assert streams == [{"name": "stdout", "text": "shown\n"}]
    text = Path(log).read_text()
    for secret in ("/secret/one", "/secret/two", "/secret/three"):
        assert secret in text
