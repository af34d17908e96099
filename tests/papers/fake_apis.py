"""A local stand-in for the arXiv API and Crossref serving the recorded responses.

Tests point settings.PAPERS_ARXIV_API / PAPERS_CROSSREF_API at it; nothing reaches the
real services.
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

RECORDED = Path(__file__).parent / "recorded"


class FakeApis:
    def __init__(self) -> None:
        self.mode = "ok"  # "ok", "error" (HTTP 500), "slow" (sleeps past the timeout)
        self.requests: list[str] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                fake.requests.append(self.path)
                if fake.mode == "slow":
                    time.sleep(1.5)
                if fake.mode == "error":
                    return self.reply(500, b"Internal Server Error", "text/plain")
                status, body, ctype = fake.route(self.path)
                self.reply(status, body, ctype)

            def reply(self, status: int, body: bytes, ctype: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.arxiv_api = f"{self.base}/api/query"
        self.crossref_api = self.base

    def route(self, path: str) -> tuple[int, bytes, str]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        atom = "application/atom+xml; charset=utf-8"
        if parts.path == "/api/query":
            ids = query.get("id_list", [""])[0]
            search = query.get("search_query", [""])[0].lower()
            if ids:
                name = "arxiv_" + ids.replace("/", "_") + ".xml"
                if (RECORDED / name).exists():
                    return 200, (RECORDED / name).read_bytes(), atom
                return 200, (RECORDED / "arxiv_error.xml").read_bytes(), atom
            if "attention is all you need" in search:
                return 200, (RECORDED / "arxiv_1706.03762.xml").read_bytes(), atom
            return 200, (RECORDED / "arxiv_empty.xml").read_bytes(), atom
        if parts.path == "/works":
            if "deep learning" in query.get("query.bibliographic", [""])[0].lower():
                return 200, (RECORDED / "crossref_search.json").read_bytes(), "application/json"
            empty = b'{"status":"ok","message-type":"work-list","message":{"items":[]}}'
            return 200, empty, "application/json"
        if parts.path.startswith("/works/"):
            doi = unquote(parts.path[len("/works/") :]).lower()
            if doi == "10.1145/3442188.3445922":
                return 200, (RECORDED / "crossref_work.json").read_bytes(), "application/json"
            return 404, (RECORDED / "crossref_404.txt").read_bytes(), "text/plain"
        return 404, b"not found", "text/plain"

    def start(self) -> FakeApis:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
