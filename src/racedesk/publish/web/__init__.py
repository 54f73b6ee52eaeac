"""The live desk over HTTP (FastAPI): :func:`racedesk.publish.web.app.create_app` mounts the
routers of :mod:`~racedesk.publish.web.api_read` (public reads and the dashboard's pages),
:mod:`~racedesk.publish.web.api_write` (token-protected writes) and
:mod:`~racedesk.publish.web.push` (server-sent events); :mod:`~racedesk.publish.web.errors`
gives every error one shape; :mod:`~racedesk.publish.web.server` runs the app with uvicorn (``racedesk demo`` feeds the
desk beside it with :func:`racedesk.desk.watch.replay_in_background`).
"""
