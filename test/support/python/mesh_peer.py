"""Drives NHS England's official Python mesh-client as an independent MESH peer for fedreport's tests and benchmark.

Reads one JSON request on stdin and writes one JSON result on stdout:
  {"op": "send", "client": {...}, "recipient", "body_b64", "workflow_id", "subject"?, "local_id"?, "filename"?,
   "content_type"?, "compress": bool, "max_chunk_size"?}                         -> {"message_id"}
  {"op": "receive", "client": {...}, "message_id", "acknowledge": bool}          -> {"message_type", "headers", "body_b64"}
  {"op": "inbox", "client": {...}, "acknowledge": bool}
                                      -> {"messages": [{"message_id", "message_type", "headers", "body_b64"}, ...]}
  {"op": "bench", "sender": {...}, "receiver": {...}, "count", "size", "workflow_id", "accept_gzip": bool}
                                                                 -> {"send_seconds", "receive_seconds", "cpu_seconds"}
where a client is {"url", "mailbox", "password", "shared_key"}.
"""

import base64
import json
import os
import sys
import time

from mesh_client import MeshClient


def make_client(spec, **kwargs):
    return MeshClient(
        spec["url"],
        spec["mailbox"],
        spec["password"],
        shared_key=spec["shared_key"].encode("utf-8"),
        **kwargs,
    )


def send(request):
    optional = {
        key: request[key]
        for key in ("workflow_id", "subject", "local_id", "filename", "content_type")
        if request.get(key) is not None
    }
    kwargs = {"max_chunk_size": request["max_chunk_size"]} if request.get("max_chunk_size") else {}
    with make_client(request["client"], **kwargs) as client:
        message_id = client.send_message(
            request["recipient"],
            base64.b64decode(request["body_b64"]),
            compress=bool(request.get("compress")),
            **optional,
        )
    return {"message_id": message_id}


def receive(request):
    with make_client(request["client"]) as client:
        message = client.retrieve_message(request["message_id"])
        body = message.read()
        result = {
            "message_type": message.message_type,
            "headers": dict(message.mex_headers()),
            "body_b64": base64.b64encode(body).decode("ascii"),
        }
        if request.get("acknowledge"):
            message.acknowledge()
    return result


def read_inbox(request):
    """Every message waiting in the mailbox, read in listing order (and acknowledged when asked)."""
    messages = []
    with make_client(request["client"]) as client:
        for message_id in client.list_messages():
            message = client.retrieve_message(message_id)
            messages.append(
                {
                    "message_id": message_id,
                    "message_type": message.message_type,
                    "headers": dict(message.mex_headers()),
                    "body_b64": base64.b64encode(message.read()).decode("ascii"),
                }
            )
            if request.get("acknowledge"):
                message.acknowledge()
    return {"messages": messages}


def bench(request):
    body = os.urandom(request["size"])
    with make_client(request["sender"]) as sender, make_client(request["receiver"]) as receiver:
        if not request["accept_gzip"]:
            # mesh-client always asks for gzip answers; this mirrors fedreport's acceptGzip=false for a like-for-like run.
            receiver._session.headers["Accept-Encoding"] = "identity"
        started = time.perf_counter()
        cpu_started = time.process_time()
        for index in range(request["count"]):
            sender.send_message(
                request["receiver"]["mailbox"], body, workflow_id=request["workflow_id"], local_id=f"bench-{index}"
            )
        sent = time.perf_counter()
        received = 0
        while received < request["count"]:
            message_ids = receiver.list_messages(max_results=500)
            if not message_ids:
                raise RuntimeError(f"inbox empty after {received} of {request['count']} messages")
            for message_id in message_ids:
                message = receiver.retrieve_message(message_id)
                if len(message.read()) != request["size"]:
                    raise RuntimeError(f"message {message_id} arrived with the wrong size")
                message.acknowledge()
                received += 1
        done = time.perf_counter()
        cpu_seconds = time.process_time() - cpu_started
    return {"send_seconds": sent - started, "receive_seconds": done - sent, "cpu_seconds": cpu_seconds}


OPERATIONS = {"send": send, "receive": receive, "inbox": read_inbox, "bench": bench}

if __name__ == "__main__":
    req = json.load(sys.stdin)
    json.dump(OPERATIONS[req["op"]](req), sys.stdout)
