"""The calculator page in real headless Chromium against the built site."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY, calculator_workers

from calculator import grade

pytestmark = pytest.mark.browser


def enter(page: Any, value: str) -> tuple[str, str]:
    """Type a score the way a person does and wait for the engine's answer to it."""
    page.fill('input[name="score"]', value)
    page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
    result = page.locator("[data-result]")
    return result.get_attribute("data-level") or "", result.get_attribute("data-score") or ""


SCORES = [
    # (typed, level code (as the package grades it, from the data), score shown)
    ("93", grade("93").level.code, "93"),
    ("95", grade("95").level.code, "95"),
    ("94.99", grade("94.99").level.code, "94.99"),
    ("70", grade("70").level.code, "70"),
    ("69.99", grade("69.99").level.code, "69.99"),
    ("79.999", grade("79.999").level.code, "79.999"),  # data-score is exact; the text shows 79.99
    ("　９２．５ ", grade("92.5").level.code, "92.5"),
    ("100", grade("100").level.code, "100"),
]


def test_calculator_grades_scores_in_the_browser_with_no_third_party_request(page: Any, site_url: str) -> None:
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    results = [(typed, *enter(page, typed)) for typed, _, _ in SCORES]
    assert results == SCORES
    assert any(url.endswith("pyodide.asm.wasm") for url in page.watch.seen), "worker requests must be observed"
    assert any(url.endswith(".whl") for url in page.watch.seen)
    assert page.watch.foreign == []
    assert page.watch.console_errors == []
    assert page.watch.page_errors == []


def test_bad_scores_mark_the_field_and_show_no_level(page: Any, site_url: str) -> None:
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    field = page.locator('input[name="score"]')
    for typed, message in [("abc", "不是数字"), ("-3", "负数"), ("101", "不能超过")]:
        assert enter(page, typed) == ("", "")
        assert field.get_attribute("aria-invalid") == "true"
        error_id = page.locator("[data-error-for=score]").get_attribute("id")
        assert error_id in (field.get_attribute("aria-describedby") or "").split()
        assert message in page.locator("[data-error-for=score]").inner_text()
    assert enter(page, "88") == ("three_star", "88")
    assert field.get_attribute("aria-invalid") == "false"
    assert page.locator("[data-error-for=score]").inner_text() == ""


def test_instant_navigation_keeps_one_working_runtime(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    glue = [url for url in page.watch.seen if "/assets/calculator/" in url and url.endswith(".mjs")]
    assert glue and all(url.endswith("/load.mjs") for url in glue), f"a content page loaded the glue: {glue}"
    page.evaluate("() => { window.__sameDocument = true; }")  # lost on a full page load
    page.locator(".md-nav--primary a.md-nav__link", has_text="计算器").first.click()
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert page.evaluate("() => window.__sameDocument === true"), "expected Material's instant navigation"
    assert enter(page, "91") == ("four_star", "91")
    page.locator(".md-nav--primary a.md-nav__link", has_text="首页").first.click()
    page.wait_for_url(site_url)
    page.locator(".md-nav--primary a.md-nav__link", has_text="计算器").first.click()
    page.wait_for_selector(READY, timeout=10_000)
    assert enter(page, "82") == ("three_star", "82")
    assert page.evaluate("() => window.__sameDocument === true")
    calculator_workers = [worker for worker in page.workers if worker.url.endswith("/calculator/worker.mjs")]
    assert len(calculator_workers) == 1
    assert page.watch.page_errors == []


def test_an_answer_to_an_older_value_never_settles_a_newer_one(page: Any, site_url: str) -> None:
    """aria-busy stays true while a typed value waits, even if an older request answers meanwhile."""
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    first_settled = page.evaluate(
        """() => new Promise(resolve => {
            const input = document.querySelector('input[name="score"]');
            const result = document.querySelector('[data-result]');
            const post = Worker.prototype.postMessage;
            Worker.prototype.postMessage = function (message, ...rest) {
                post.call(this, message, ...rest);
                if (message.type !== 'call' || input.value !== '91') return;
                // The request for 91 is on its way; its answer cannot arrive within this task.
                Worker.prototype.postMessage = post;
                input.value = '82';
                input.dispatchEvent(new Event('input', {bubbles: true}));
                new MutationObserver((_, observer) => {
                    if (result.getAttribute('aria-busy') !== 'false') return;
                    observer.disconnect();
                    resolve([input.value, result.dataset.level]);
                }).observe(result, {attributes: true, attributeFilter: ['aria-busy']});
            };
            input.value = '91';
            input.dispatchEvent(new Event('input', {bubbles: true}));
        })"""
    )
    assert first_settled == ["82", "three_star"]


def test_a_missing_runtime_file_gives_the_error_state_and_a_readable_page(page: Any, site_url: str) -> None:
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(site_url + "calculator/")
    page.wait_for_selector('[data-calculator][data-state="error"]', timeout=LOAD_TIMEOUT)
    assert page.locator("[data-retry]").is_visible()
    assert page.locator("[data-status]").inner_text().startswith("计算引擎未能加载：")
    assert page.locator("table").last.is_visible()  # the static grade table stays readable
    page.unroute("**/pyodide.asm.wasm")
    page.locator("[data-retry]").click()
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert enter(page, "93") == ("four_star", "93")


def test_the_english_error_state_reads_as_english(page: Any, site_url: str) -> None:
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(site_url + "en/calculator/")
    page.wait_for_selector('[data-calculator][data-state="error"]', timeout=LOAD_TIMEOUT)
    status = page.locator("[data-status]").inner_text()
    assert status.startswith("The calculation engine could not be loaded: ")
    assert not any("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" for char in status), status


def test_a_glue_that_cannot_load_shows_the_error_and_reload_recovers(page: Any, site_url: str) -> None:
    page.route("**/assets/calculator/calculator.mjs", lambda route: route.abort())
    page.goto(site_url + "calculator/")
    page.wait_for_selector('[data-calculator][data-state="error"]', timeout=LOAD_TIMEOUT)
    assert page.locator("[data-status]").inner_text().startswith("计算引擎未能加载：计算器的页面脚本没有下载成功")
    page.unroute("**/assets/calculator/calculator.mjs")
    page.locator("[data-retry]").click()
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert enter(page, "93") == ("four_star", "93")


def test_after_one_visit_the_calculator_works_with_the_network_cut(context: Any, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    page.wait_for_function("() => navigator.serviceWorker.ready.then(r => !!r.active)")
    page.wait_for_function("() => caches.keys().then(keys => keys.some(k => k.startsWith('gc-runtime-')))")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert enter(page, "96") == ("five_star", "96")
    # A page the service worker controls runs worker.mjs, which it serves, not the page's copy.
    calculator = [worker.url for worker in calculator_workers(page)]
    assert len(calculator) == 1 and calculator[0].endswith("/assets/calculator/worker.mjs"), calculator
    context.set_offline(False)


def test_the_head_starts_the_worker_and_every_runtime_file_is_fetched_once(context: Any, site_url: str) -> None:
    """The worker starts from the page's head, before load.mjs's chain of imports has arrived, and the
    glue adopts it; each runtime file (the lockfile too) is requested once, by the worker, not the page.
    On this first visit the worker runs from the page's copy of its code: worker.mjs is not fetched."""
    requested: list[str] = []

    def note(request: Any) -> None:
        if not request.service_worker:  # once ready, the service worker keeps its own copy
            requested.append(request.url.split("?")[0].rsplit("/", 1)[-1])

    context.on("request", note)
    page = context.new_page()
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    created, glue, on_page, adopted = page.evaluate(
        """() => [
            performance.getEntriesByName('gc-worker-created')[0]?.startTime,
            performance.getEntriesByType('resource').filter(entry => /(load|calculator|engine)[.]mjs$/.test(entry.name))
                .map(entry => entry.responseEnd),
            performance.getEntriesByType('resource').filter(entry => /pyodide|python|[.]whl/.test(entry.name)).map(entry => entry.name),
            window.gcStartedWorker === null,
        ]"""
    )
    assert created is not None and len(glue) == 3
    assert created < min(glue), "the worker starts before the glue has arrived"
    assert adopted, "the glue took the head's worker over"
    assert on_page == [], "the worker fetches the runtime, not the page"
    calculator = [worker.url for worker in calculator_workers(page)]
    assert len(calculator) == 1 and calculator[0].startswith("blob:"), calculator
    assert "worker.mjs" not in requested
    once = [
        "pyodide.asm.wasm",
        "pyodide.asm.mjs",
        "pyodide.mjs",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ]
    assert {name: requested.count(name) for name in once} == dict.fromkeys(once, 1)
    assert len([name for name in requested if name.endswith(".whl")]) == 1


def test_python_starts_after_the_page_has_loaded_and_the_wheel_after_the_wasm(context: Any, site_url: str) -> None:
    """The downloads start with the page, but Python's start-up (a core's worth of work for half a
    second) waits for the page's load event, so that it never slows the page's own scripts; the
    wheel, needed only once Python has started, waits until the wasm is in."""
    events: list[str] = []

    def note(what: str, request: Any) -> None:
        if not request.service_worker:  # once the first answer is shown, it keeps its own copy
            events.append(what + " " + request.url.rsplit("/", 1)[-1])

    context.on("request", lambda request: note("asked", request))
    context.on("requestfinished", lambda request: note("done", request))
    page = context.new_page()
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    loaded, go, created = page.evaluate(
        """() => [
            performance.getEntriesByType('navigation')[0].loadEventStart,
            performance.getEntriesByName('gc-go')[0]?.startTime,
            performance.getEntriesByName('gc-worker-created')[0]?.startTime,
        ]"""
    )
    assert created < loaded, "the worker (and its downloads) started before the page had loaded"
    assert go is not None and go >= loaded, (go, loaded)
    wasm_done = events.index("done pyodide.asm.wasm")
    (wheel_asked,) = [i for i, event in enumerate(events) if event.startswith("asked ") and event.endswith(".whl")]
    assert wheel_asked > wasm_done, events


def test_a_page_whose_load_event_never_comes_still_gets_its_calculator(page: Any, site_url: str) -> None:
    """Python waits for the page's load event, but not forever: an image that never finishes
    loading holds that event back, and the calculator starts anyway (worker.mjs, PAGE_LOAD_WAIT_MS)."""
    page.route("**/never-loads.png", lambda route: None)  # never answered
    page.add_init_script(
        "addEventListener('DOMContentLoaded', () => document.body.append(Object.assign(new Image(), {src: '/never-loads.png'})))"
    )
    page.goto(site_url + "calculator/#score=93", wait_until="domcontentloaded")
    page.wait_for_selector('[data-result][data-level="four_star"]', timeout=LOAD_TIMEOUT)
    state, go, created = page.evaluate(
        """() => [
            document.readyState,
            performance.getEntriesByName('gc-go')[0]?.startTime,
            performance.getEntriesByName('gc-worker-created')[0]?.startTime,
        ]"""
    )
    assert state != "complete", "the image held the load event back"
    assert go - created >= 2900, (go, created)


def _index_requested_at() -> str:
    return """() => performance.getEntriesByType('resource')
        .filter(entry => entry.name.endsWith('/search/search_index.json')).map(entry => entry.startTime)"""


def _search_finds_something(page: Any, query: str) -> None:
    page.locator(".md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on keyup
    page.locator(".md-search-result__item").first.wait_for(timeout=LOAD_TIMEOUT)


def test_the_search_index_waits_for_the_first_answer_and_search_still_works(page: Any, site_url: str) -> None:
    page.add_init_script("addEventListener('gc-answered', () => { window.gcAnsweredAt ??= performance.now(); })")
    page.goto(site_url + "calculator/#score=93")
    page.wait_for_selector('[data-result][data-level="four_star"]', timeout=LOAD_TIMEOUT)
    page.wait_for_function(_index_requested_at() + ".length > 0", timeout=LOAD_TIMEOUT)
    (requested,) = page.evaluate(_index_requested_at())
    assert requested >= page.evaluate("window.gcAnsweredAt"), "nothing competes with the runtime before the answer"
    _search_finds_something(page, "星级")
    assert page.watch.page_errors == []


def test_opening_the_search_before_the_answer_loads_the_index(page: Any, site_url: str) -> None:
    page.route("**/pyodide.asm.wasm", lambda route: None)  # the runtime never arrives: no answer comes
    page.goto(site_url + "calculator/")
    page.wait_for_load_state("load")
    assert page.evaluate(_index_requested_at()) == []
    _search_finds_something(page, "星级")
    assert page.locator("[data-calculator]").get_attribute("data-state") == "loading"
