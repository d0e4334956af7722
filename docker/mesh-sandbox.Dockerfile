# NHS England's mesh-sandbox (a MESH API double) at the version, and with the dependency pins, the tests use:
# tooling/python-requirements.txt is the single list of both. Plain HTTP; each mailbox is a directory under /data
# (the three packaged ones are created here; see docs/deployment.md for more).
# The Python the project virtualenv is tested with.
FROM python:3.11-slim

COPY tooling/python-requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt \
  && mkdir -p /data/X26ABC1 /data/X26ABC2 /data/X26ABC3 && chown -R nobody /data

ENV AUTH_MODE=full STORE_MODE=file MAILBOXES_DATA_DIR=/data SHARED_KEY=TestKey PYTHONUNBUFFERED=1
USER nobody
EXPOSE 8700
CMD ["python", "-m", "uvicorn", "mesh_sandbox.api:app", "--host", "0.0.0.0", "--port", "8700", "--no-access-log"]
