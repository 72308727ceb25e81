"""The app factory in-process (Starlette's TestClient runs the lifespan: real workers)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient

from mali_kg.pages import Renderer
from mali_kg.server import Settings, create_app

from .helpers import LABEL_QUERY


def test_create_app_serves_and_mounts_extra_routers():
    extra = APIRouter()

    @extra.get("/")
    def home():
        return {"page": "home"}

    @extra.get("/article")
    def article():
        return {"page": "article"}

    app = create_app(Settings(workers=1, timeout=5, access_log=False), renderer=Renderer(),
                     extra_routers=[extra])
    with TestClient(app) as client:
        assert client.get("/").json() == {"page": "home"}  # replaces the landing page
        assert client.get("/article").json() == {"page": "article"}  # before the fallback
        r = client.get("/sparql", params={"query": LABEL_QUERY})
        assert r.status_code == 200
        assert "MINUSMA" in r.text
        assert client.get("/id/minusma").status_code == 200
        assert client.get("/nope").status_code == 404
