"""Every page any persona can open is valid HTML, by the Nu HTML checker (vnu.jar from
npm's vnu-jar, fetched by `make validator`, run with the machine's Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import EXPECTED, PERSONAS, all_url_names, scene  # noqa: F401  (scene: the fixture)

VNU_JAR = Path(os.environ.get("VNU_JAR", ".cache/vnu-jar-26.9.27/build/dist/vnu.jar"))


@pytest.mark.skipif(not (VNU_JAR.is_file() and shutil.which("java")), reason="needs Java and vnu.jar (make validator)")
def test_every_page_a_persona_can_open_is_valid_html(scene, tmp_path):  # noqa: F811
    kwargs, users = scene
    for name, _params in all_url_names():
        url = reverse(name, kwargs=kwargs.get(name))
        for persona, expected in zip(PERSONAS, EXPECTED[name], strict=True):
            if expected != 200:
                continue
            client = Client()
            if persona != "anonymous":
                client.force_login(users[persona])
            response = client.get(url)
            if response["Content-Type"].startswith("text/html"):
                page = tmp_path / f"{name.replace(':', '.')}.{persona}.html"
                page.write_bytes(response.content)
    pages = list(tmp_path.glob("*.html"))
    assert len(pages) > 60
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = [
        f"{Path(m['url']).name}: {m['message']} — {m.get('extract', '').strip()[:80]}"
        for m in json.loads(checked.stderr)["messages"]
    ]
    assert errors == [], "\n".join(errors)
