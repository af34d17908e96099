"""The metadata client against recorded arXiv/Crossref responses.

Responses are served by httpx.MockTransport (request inspection) and by a real local
HTTP server (timeouts, slow bodies), never by the real services.
"""

import http.server
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tracker.papers.identifiers import ArxivId, Doi
from tracker.papers.lookup import LookupFailure, Metadata, MetadataClient

RECORDED = Path(__file__).parent / "recorded"
ARXIV = "https://export.arxiv.org/api/query"
CROSSREF = "https://api.crossref.org"


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


class DictCache:
    def __init__(self):
        self.data = {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    def set(self, key, value, timeout=None):
        self.data[key] = value


def client_for(handler, **kwargs):
    seen = []

    def record(request):
        seen.append(request)
        return handler(request)

    client = MetadataClient(
        arxiv_api=ARXIV,
        crossref_api=CROSSREF,
        cache=kwargs.pop("cache", False),
        transport=httpx.MockTransport(record),
        **kwargs,
    )
    return client, seen


def atom(name):
    return lambda request: httpx.Response(
        200, content=recorded(name), headers={"content-type": "application/atom+xml"}
    )


def test_arxiv_id_lookup_reads_the_atom_entry():
    client, seen = client_for(atom("arxiv_1706.03762.xml"))
    result = client.lookup(ArxivId("1706.03762", 5))
    assert isinstance(result, Metadata)
    assert result.title == "Attention Is All You Need"
    assert result.authors[0] == "Ashish Vaswani"
    assert result.authors[-1] == "Illia Polosukhin"
    assert len(result.authors) == 8
    assert result.year == 2017
    assert result.arxiv_id == "1706.03762"
    assert result.venue == "arXiv"
    assert result.abstract.startswith("The dominant sequence transduction models")
    assert "\n" not in result.abstract
    assert result.url == "https://arxiv.org/abs/1706.03762"
    # Version is dropped; only the fixed API host is asked.
    (request,) = seen
    assert request.url.host == "export.arxiv.org"
    assert parse_qs(request.url.query.decode())["id_list"] == ["1706.03762"]


def test_old_style_id_with_doi_and_journal_ref():
    client, _ = client_for(atom("arxiv_hep-th_9901001.xml"))
    result = client.arxiv("hep-th/9901001")
    assert isinstance(result, Metadata)
    assert result.arxiv_id == "hep-th/9901001"
    assert result.doi == "10.1016/s0370-2693(99)00123-4"
    assert result.venue == "Phys.Lett. B449 (1999) 33-38"
    assert result.title == "Tachyon Condensation and Black Strings in Type II String Theory"
    assert result.year == 1999


def test_arxiv_error_entry_is_not_found():
    client, _ = client_for(atom("arxiv_error.xml"))
    result = client.arxiv("1501.00001")
    assert isinstance(result, LookupFailure)
    assert result.kind == "not_found"
    assert "incorrect id format" in result.reason


def test_arxiv_entry_for_other_id_is_not_found():
    client, _ = client_for(atom("arxiv_1706.03762.xml"))
    result = client.arxiv("1801.00001")
    assert isinstance(result, LookupFailure)
    assert result.kind == "not_found"


def test_crossref_doi_lookup():
    def handler(request):
        assert request.url.host == "api.crossref.org"
        assert request.url.raw_path == b"/works/10.1145/3442188.3445922"
        return httpx.Response(200, content=recorded("crossref_work.json"))

    client, _ = client_for(handler)
    result = client.lookup(Doi("10.1145/3442188.3445922"))
    assert isinstance(result, Metadata)
    assert result.title.startswith("On the Dangers of Stochastic Parrots")
    assert result.authors == [
        "Emily M. Bender",
        "Timnit Gebru",
        "Angelina McMillan-Major",
        "Shmargaret Shmitchell",
    ]
    assert result.year == 2021
    assert result.venue.startswith("Proceedings of the 2021 ACM Conference")
    assert result.abstract.startswith("The past 3 years")
    assert "<jats" not in result.abstract
    assert "&amp;" not in result.abstract
    assert result.doi == "10.1145/3442188.3445922"


def test_crossref_404_is_not_found():
    client, _ = client_for(lambda r: httpx.Response(404, content=recorded("crossref_404.txt")))
    result = client.doi("10.1234/nothing")
    assert result == LookupFailure("Crossref does not know this DOI", "not_found")


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_are_failures_not_exceptions(status):
    client, _ = client_for(lambda r: httpx.Response(status, content=b"oops"))
    for result in (client.doi("10.1234/x"), client.arxiv("1706.03762")):
        assert isinstance(result, LookupFailure)
        assert result.kind == "error"
        assert str(status) in result.reason


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>not atom</html>",
        b"\x00\xff\xfe garbage",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><feed>&lol;</feed>',
    ],
)
def test_garbage_arxiv_bodies_are_failures(body):
    client, _ = client_for(lambda r: httpx.Response(200, content=body))
    result = client.arxiv("1706.03762")
    assert isinstance(result, LookupFailure)
    assert "malformed" in result.reason


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="{encoding}"?>'
    '<!DOCTYPE feed [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
    "<id>http://arxiv.org/abs/1706.03762v5</id><title>&lol3;</title></entry></feed>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_expansion_in_the_arxiv_answer_is_a_failed_lookup(encoding):
    # UTF-16 hides "<!DOCTYPE" from a byte-substring check; the parser refuses the DTD itself.
    body = BILLION_LAUGHS.format(encoding=encoding).encode(encoding)
    client, _ = client_for(lambda r: httpx.Response(200, content=body))
    result = client.arxiv("1706.03762")
    assert result == LookupFailure("arXiv sent a malformed response")


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"status":"failed"}', b'{"status":"ok","message":[]}', b"\xff"],
)
def test_garbage_crossref_bodies_are_failures(body):
    client, _ = client_for(lambda r: httpx.Response(200, content=body))
    result = client.doi("10.1234/x")
    assert isinstance(result, LookupFailure)


def test_crossref_record_without_title_is_not_found():
    body = b'{"status":"ok","message-type":"work","message":{"DOI":"10.1234/x","title":[]}}'
    client, _ = client_for(lambda r: httpx.Response(200, content=body))
    assert client.doi("10.1234/x").kind == "not_found"


def test_oversized_body_is_cut_off_by_streaming():
    def stream():
        for _ in range(100):
            yield b"x" * 1024

    client, _ = client_for(lambda r: httpx.Response(200, content=stream()), max_bytes=10_000)
    result = client.arxiv("1706.03762")
    assert isinstance(result, LookupFailure)
    assert "too large" in result.reason


def test_declared_oversized_body_is_refused():
    client, _ = client_for(lambda r: httpx.Response(200, content=b"x" * 20_000), max_bytes=10_000)
    assert "too large" in client.doi("10.1234/x").reason


def test_network_errors_are_failures():
    def boom(request):
        raise httpx.ConnectError("refused", request=request)

    client, _ = client_for(boom)
    result = client.arxiv("1706.03762")
    assert result == LookupFailure("arXiv could not be reached", "error")


def test_redirects_are_not_followed():
    client, seen = client_for(
        lambda r: httpx.Response(302, headers={"location": "http://169.254.169.254/"})
    )
    result = client.doi("10.1234/x")
    assert isinstance(result, LookupFailure)
    assert len(seen) == 1


def test_title_search_prefers_arxiv_and_checks_the_title():
    def handler(request):
        assert request.url.host == "export.arxiv.org"
        query = parse_qs(request.url.query.decode())
        assert query["search_query"] == ['ti:"attention is all you need"']
        return httpx.Response(200, content=recorded("arxiv_1706.03762.xml"))

    client, _ = client_for(handler)
    result = client.title("attention is all you need")
    assert isinstance(result, Metadata)
    assert result.arxiv_id == "1706.03762"


def test_title_search_falls_back_to_crossref():
    def handler(request):
        if request.url.host == "export.arxiv.org":
            return httpx.Response(200, content=recorded("arxiv_empty.xml"))
        assert request.url.path == "/works"
        query = parse_qs(request.url.query.decode())
        assert query == {"query.bibliographic": ["Deep learning"], "rows": ["1"]}
        return httpx.Response(200, content=recorded("crossref_search.json"))

    client, seen = client_for(handler)
    result = client.title("Deep learning")
    assert isinstance(result, Metadata)
    assert result.doi == "10.1038/nature14539"
    assert result.authors == ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]
    assert result.venue == "Nature"
    assert len(seen) == 2


def test_title_search_rejects_a_poor_match():
    def handler(request):
        if request.url.host == "export.arxiv.org":
            return httpx.Response(200, content=recorded("arxiv_1706.03762.xml"))
        return httpx.Response(200, content=recorded("crossref_search.json"))

    client, _ = client_for(handler)
    result = client.title("A completely different paper about graphs")
    assert result == LookupFailure("no paper with this title was found", "not_found")


def test_results_and_misses_are_cached_but_errors_are_not():
    cache = DictCache()
    client, seen = client_for(atom("arxiv_1706.03762.xml"), cache=cache)
    first = client.arxiv("1706.03762")
    second = client.arxiv("arXiv:1706.03762v2")
    assert first == second
    assert len(seen) == 1

    failing, failing_seen = client_for(lambda r: httpx.Response(500), cache=cache)
    failing.doi("10.1234/x")
    failing.doi("10.1234/x")
    assert len(failing_seen) == 2

    missing, missing_seen = client_for(lambda r: httpx.Response(404), cache=cache)
    missing.doi("10.1234/y")
    assert missing.doi("10.1234/Y").kind == "not_found"
    assert len(missing_seen) == 1


def test_invalid_identifiers_never_touch_the_network():
    client, seen = client_for(lambda r: httpx.Response(500))
    assert client.arxiv("1706.0376").kind == "not_found"
    assert client.doi("https://example.com/10.1/x").kind == "not_found"
    assert client.title("   ").kind == "not_found"
    assert seen == []


# -- a real local server: timeouts and slow bodies -------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    mode = "ok"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.mode == "hang":
            time.sleep(1.0)
        body = recorded("arxiv_1706.03762.xml")
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        if self.mode == "drip":
            self.end_headers()
            try:
                for _ in range(20):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client gave up, as it should
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _local_client(server, timeout):
    host, port = server.server_address
    return MetadataClient(
        arxiv_api=f"http://{host}:{port}/api/query",
        crossref_api=f"http://{host}:{port}",
        cache=False,
        timeout=timeout,
    )


def test_real_server_answer(local_server):
    _Handler.mode = "ok"
    result = _local_client(local_server, 2).arxiv("1706.03762")
    assert isinstance(result, Metadata)
    assert urlsplit(result.url).hostname == "arxiv.org"


def test_timeout_is_a_failure(local_server):
    _Handler.mode = "hang"
    started = time.monotonic()
    result = _local_client(local_server, 0.2).arxiv("1706.03762")
    assert result.kind == "timeout"
    assert time.monotonic() - started < 0.9


def test_slow_drip_hits_the_overall_deadline(local_server):
    _Handler.mode = "drip"
    started = time.monotonic()
    result = _local_client(local_server, 0.3).arxiv("1706.03762")
    assert result.kind == "timeout"
    assert time.monotonic() - started < 1.5


def test_base_urls_come_from_settings(settings):
    settings.PAPERS_ARXIV_API = "http://127.0.0.1:1/api/query"
    settings.PAPERS_CROSSREF_API = "http://127.0.0.1:1/"
    client = MetadataClient(cache=False)
    assert client.arxiv_api == "http://127.0.0.1:1/api/query"
    assert client.crossref_api == "http://127.0.0.1:1"
