"""Team Evaluatie App backend (TeaFleet sample stand-in)."""
import json
import time
import uuid
from typing import Any, Dict, Optional

import redis
import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .config import COMMIT, DONE_PREFIX, JOBS_KEY, REDIS_HOST, REDIS_PORT, RELEASE
from .db import engine, records, teams, users
from .security import make_token, verify_password

app = FastAPI(title="Team Evaluatie App", version=RELEASE)

# the Alembic head this code expects (v4: teams + records.team_id,
# v5: audit_log + records.audited)
EXPECTED_SCHEMA = "0003_audit"

_redis: Optional[redis.Redis] = None


@app.middleware("http")
async def release_header(request: Request, call_next):
    """v2: every response says which release/commit served it."""
    response = await call_next(request)
    response.headers["X-Tea-Release"] = RELEASE
    response.headers["X-Tea-Commit"] = COMMIT
    return response


def get_redis() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=2,
                             socket_timeout=3, decode_responses=True)
    return _redis


def _ident() -> Dict[str, Any]:
    return {"status": "ok", "commit": COMMIT, "release": RELEASE}


def _short_error(exc: Exception) -> str:
    text = str(exc).strip()
    return "%s: %s" % (type(exc).__name__, text.splitlines()[0] if text else "")


@app.get("/health")
def health() -> Dict[str, Any]:
    """Liveness: 200 whenever the process is up."""
    return _ident()


@app.get("/api/v1/health")
def api_health():
    """Readiness: also checks the database (503 if it fails)."""
    body = _ident()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            schema = None
            if conn.execute(sa.text("SELECT to_regclass('public.alembic_version') IS NOT NULL")).scalar():
                schema = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        body["db"] = "ok"
        body["schema"] = schema
        return body
    except Exception as exc:  # noqa: BLE001 - report any DB failure
        body["status"] = "error"
        body["db"] = "error: " + _short_error(exc)
        return JSONResponse(body, status_code=503)


@app.get("/api/v1/version")
def version() -> Dict[str, Any]:
    """v2: release/commit plus the Alembic head this code expects."""
    body = _ident()
    body["expected_schema"] = EXPECTED_SCHEMA
    return body


class LoginIn(BaseModel):
    user: str
    password: str


@app.post("/api/v1/login")
def login(body: LoginIn) -> Dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(sa.select(users.c.password_hash).where(users.c.username == body.user)).first()
    if row is None or not verify_password(body.password, row.password_hash):
        raise HTTPException(status_code=401, detail="invalid user or password")
    return {"token": make_token(body.user), "user": body.user}


class RecordIn(BaseModel):
    title: str = Field(..., min_length=1, max_length=200)
    team_id: Optional[int] = None  # v4


def _record(row) -> Dict[str, Any]:
    return {"id": row.id, "title": row.title,
            "created_at": row.created_at.isoformat() if row.created_at else None,
            "team_id": row.team_id}


def _team(row) -> Dict[str, Any]:
    return {"id": row.id, "name": row.name,
            "created_at": row.created_at.isoformat() if row.created_at else None}


@app.get("/api/v1/teams")
def list_teams(response: Response):
    """v4: the teams (migration 0002_teams), total in X-Total-Count."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(teams).order_by(teams.c.id)).all()
    response.headers["X-Total-Count"] = str(len(rows))
    return [_team(r) for r in rows]


@app.get("/api/v1/records")
def list_records(response: Response, q: Optional[str] = None):
    """v3: optional case-insensitive title filter ?q=..., total in X-Total-Count."""
    query = sa.select(records).order_by(records.c.id)
    if q:
        query = query.where(records.c.title.ilike("%" + q + "%"))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    response.headers["X-Total-Count"] = str(len(rows))
    return [_record(r) for r in rows]


@app.post("/api/v1/records", status_code=201)
def create_record(body: RecordIn):
    values: Dict[str, Any] = {"title": body.title}
    if body.team_id is not None:
        values["team_id"] = body.team_id
    try:
        with engine.begin() as conn:
            row = conn.execute(records.insert().values(**values).returning(*records.c)).first()
    except sa.exc.IntegrityError:
        raise HTTPException(status_code=422, detail="unknown team_id %s" % body.team_id)
    return _record(row)


@app.delete("/api/v1/records/{record_id}", status_code=204)
def delete_record(record_id: int):
    with engine.begin() as conn:
        result = conn.execute(records.delete().where(records.c.id == record_id))
    if result.rowcount == 0:
        raise HTTPException(status_code=404, detail="record not found")
    return Response(status_code=204)


class JobIn(BaseModel):
    kind: str = "noop"
    payload: Dict[str, Any] = {}


@app.post("/api/v1/jobs", status_code=202)
def create_job(body: Optional[JobIn] = None):
    body = body or JobIn()
    job = {"id": uuid.uuid4().hex[:16], "kind": body.kind, "payload": body.payload,
           "queued_at": time.time(), "queued_by": COMMIT}
    try:
        get_redis().rpush(JOBS_KEY, json.dumps(job))
    except redis.RedisError as exc:
        raise HTTPException(status_code=503, detail="redis: " + _short_error(exc))
    return {"id": job["id"], "queued": True}


@app.get("/api/v1/jobs/{job_id}")
def get_job(job_id: str):
    try:
        raw = get_redis().get(DONE_PREFIX + job_id)
    except redis.RedisError as exc:
        raise HTTPException(status_code=503, detail="redis: " + _short_error(exc))
    if raw is None:
        return JSONResponse({"id": job_id, "done": False}, status_code=404)
    result = json.loads(raw)
    result["done"] = True
    return result
