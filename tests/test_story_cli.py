"""`mediamon story` on the demo site: the AP report's English placement and its Indonesian
translation (a linked story, not a merge), through the real pipeline (`mediamon run`)."""

from __future__ import annotations

import json

import duckdb

from conftest import write_demo_config
from mediamon.cli import main


def test_story_command_shows_the_ap_story_and_its_indonesian_translation(demo_site, tmp_path, capsys):
    cdir = write_demo_config(tmp_path, demo_site)
    assert main(["--config", str(cdir), "run", "--date", "2022-02-02"]) == 0
    capsys.readouterr()
    db = tmp_path / "data" / "mediamon.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    (en_url,) = con.execute("SELECT canonical_url FROM articles WHERE canonical_url LIKE '%russia-us-trade-barbs%'").fetchone()
    (id_story, copies, langs) = con.execute(
        "SELECT story_id, copies, languages FROM stories JOIN article_stories USING (story_id) JOIN articles a USING (article_id) "
        "WHERE a.canonical_url LIKE '%rusia-dan-as-saling-serang%'").fetchone()
    con.close()
    assert copies == 2 and langs == ["id"]  # Kabar Nusantara's report and Warta Harian's edited copy

    assert main(["--config", str(cdir), "story", en_url]) == 0
    out = capsys.readouterr().out
    assert "russia-us-trade-barbs" in out and "linked (translation" in out and id_story in out
    # the Indonesian placements are listed under the link
    assert "rusia-dan-as-saling-serang" in out and "lavrov-dan-blinken-bicara" in out

    assert main(["--config", str(cdir), "story", id_story, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["language"] for p in data["placements"]] == ["id", "id"]
    assert data["placements"][0]["original"] and data["placements"][0]["edit_distance_words"] == 0
    assert 0 < data["placements"][1]["edit_distance_words"] < 120 and data["placements"][1]["jaccard"] < 1
    assert [(link["kind"], link["languages"]) for link in data["links"]] == [("translation", ["en"])]
    assert [p["language"] for p in data["links"][0]["placements"]] == ["en"]
    assert data["story"]["wire_source"] == "AP"

    assert main(["--config", str(cdir), "story", "no-such-story"]) == 1
