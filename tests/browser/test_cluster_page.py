"""The page through nginx in front of two shards: each network's page, its changes (owner key) and its
live socket reach the shard its id names."""
from __future__ import annotations

import os
import shutil
import urllib.request

import pytest

from deploy.cluster import Cluster
from engine import ids
from tests.browser.harness import VIEWPORT, Page
from tests.server_process import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def nginx_installed():
    """Missing nginx fails rather than skips: a skip would hide that shards went untested."""
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        pytest.fail("nginx is missing: install Debian's package (apt-get install nginx) or run .ci/run")


def test_the_page_works_on_both_shards_through_the_front(browser, tmp_path):
    with Cluster(2, free_port(), db_dir=str(tmp_path), shard_ports=[free_port(), free_port()],
                 log_dir=str(tmp_path)) as cluster:
        context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
        context.set_default_timeout(15_000)
        try:
            seen = set()
            for turn in range(8):  # requests go round-robin, so a new page's network lands on either shard
                page = Page(context.new_page(), cluster.url, f"cluster-shard-turn{turn}")
                page.open("?layers=2,4,2,1&dataset=circle&seed=0")
                shard = ids.shard_of("network", page.network_id)
                if shard in seen:
                    page.page.close()
                    # One more request through the front shifts the round robin: a page load's own
                    # request count (its modules) is fixed, and would land every network on one shard.
                    urllib.request.urlopen(cluster.url + "/api/health", timeout=10).read()
                    continue
                seen.add(shard)
                page.page.click("#play")
                page.page.wait_for_timeout(1500)
                page.page.click("#play")
                page.page.wait_for_function("document.querySelector('#play').getAttribute('aria-pressed') === 'false'")
                page.page.select_option("#learning_rate", "0.3")  # a change needs the owner key
                page.page.wait_for_function("location.search.includes('learning_rate=0.3')")
                state = page.server_state()
                assert state["step"] > 10 and state["config"]["learning_rate"] == 0.3
                page.screenshot(f"shard{shard}")
                assert page.errors == []
                if seen == {0, 1}:
                    break
            assert seen == {0, 1}
        finally:
            context.close()


def test_a_class_follows_its_teacher_into_a_lesson_through_the_front(browser, tmp_path):
    """The teacher's page starts each lesson, and the lesson step that makes a network of its own, on the
    class's shard: the class moves every time (no "on another shard" toast) and the student follows."""
    from tests.browser.test_classroom import open_context
    from tests.browser.test_lesson_class import NET, STEP, open_class, same_network
    with Cluster(2, free_port(), db_dir=str(tmp_path), shard_ports=[free_port(), free_port()],
                 log_dir=str(tmp_path)) as cluster:
        opened = []
        try:
            context, teacher = open_context(browser, cluster.url, "cluster-lesson-teacher", "/" + NET)
            opened.append(context)
            code = open_class(teacher)
            shard = ids.shard_of("class", code)
            context, student = open_context(browser, cluster.url, "cluster-lesson-student", f"/j/{code}")
            opened.append(context)
            same_network(teacher, student)
            for turn in range(3):  # round-robin creations would land some of these on the other shard
                before = teacher.network_id
                teacher.page.select_option("#lesson-picker", "xor-hidden-layer")
                teacher.page.wait_for_function(f"{STEP} === 'step 1 of 4'")
                teacher.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== {before!r}")
                for n in (2, 3):  # step 3 starts from a network of its own
                    teacher.page.wait_for_function("!document.querySelector('#lesson-next').disabled")
                    teacher.page.keyboard.press("PageDown")
                    teacher.page.wait_for_function(f"{STEP} === 'step {n} of 4'")
                teacher.page.wait_for_function("!document.querySelector('#lesson-next').disabled")
                same_network(teacher, student)
                student.page.wait_for_function(f"{STEP} === 'step 3 of 4'")
                assert ids.shard_of("network", teacher.network_id) == shard, f"turn {turn}"
                assert student.api("GET", f"/api/classes/{code}")["network_id"] == teacher.network_id
            teacher.screenshot("cluster-lesson-teacher")
            student.screenshot("cluster-lesson-student")
            assert teacher.errors == [] and student.errors == []
        finally:
            for context in opened:
                context.close()
