"""The Nu HTML checker (vnu.jar) finds no error in the HTML of the main pages."""

import json
import shutil
import subprocess

import pytest
from django.test import Client

from tests.browser.pages import TOOLS_HINT, VNU, learner_with_data, main_pages, tool_missing


@pytest.mark.django_db
def test_main_pages_are_valid_html(tmp_path):
    java = shutil.which("java")
    if java is None or not VNU.exists():
        tool_missing(f"Nu HTML checker not runnable (java: {java}, {VNU}): {TOOLS_HINT}")
    user = learner_with_data()
    anonymous, member = Client(), Client()
    member.force_login(user)
    files = []
    for name, path, logged_in in main_pages(user):
        response = (member if logged_in else anonymous).get(path)
        assert response.status_code == 200, (name, path)
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--skip-non-html", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "\n".join(errors)
