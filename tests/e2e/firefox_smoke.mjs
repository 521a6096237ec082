// The calculator in Firefox (Debian's firefox-esr), driven over WebDriver BiDi by puppeteer-core:
// run by tests/e2e/test_engines.py, which reads the JSON this prints and asserts on it.
//
//   node tests/e2e/firefox_smoke.mjs BASE_URL FIREFOX_PATH
//
// The steps are the WebKit smoke's (scripts/tools/webkit.py): the page becomes ready; quick
// mode 93; the readiness check with every answer "met"; a reload is ready again; the English
// page. What the browser reports on the way is collected from the first request on: console
// errors, uncaught errors, requests that failed or answered 400 or more.

import puppeteer from "puppeteer-core";

const [base, executablePath] = process.argv.slice(2);
const LOAD_TIMEOUT = 90_000;
const report = { steps: {}, errors: [], failed: [], aborted: [] };

const state = () => document.querySelector("[data-calculator]")?.dataset.state;
const result = () => {
  const node = document.querySelector("[data-result]");
  return node && node.getAttribute("aria-busy") === "false" ? node.dataset.level : null;
};

// The calculator page lets the theme's search load only after its first answer; a navigation
// before the search worker has its files would cut the last of them off (NS_BINDING_ABORTED).
async function searchReady(page) {
  await page.waitForFunction(
    () => {
      const meta = document.querySelector(".md-search-result__meta");
      return meta && meta.textContent.trim() !== "" && !/初始化|Initializing/i.test(meta.textContent);
    },
    { timeout: LOAD_TIMEOUT, polling: 100 },
  );
}

async function ready(page) {
  await page.waitForFunction(() => document.querySelector("[data-calculator]")?.dataset.state !== "loading", {
    timeout: LOAD_TIMEOUT,
    polling: 100,
  });
  return page.evaluate(state);
}

async function level(page, expected) {
  try {
    await page.waitForFunction(
      (want) => {
        const node = document.querySelector("[data-result]");
        return node && node.getAttribute("aria-busy") === "false" && node.dataset.level === want;
      },
      { timeout: 30_000, polling: 100 },
      expected,
    );
  } catch {
    // the assertion in Python says what was there instead
  }
  return page.evaluate(result);
}

async function quick(page, typed) {
  await page.click('input[name="score"]', { count: 3 });
  await page.type('input[name="score"]', typed);
  return level(page, "four_star");
}

const browser = await puppeteer.launch({ browser: "firefox", executablePath, headless: true });
try {
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") report.errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => report.errors.push(`page: ${error.message || error}`));
  // A request cut off because the page went on (a reload, the next page) is not one that failed:
  // Firefox names that NS_BINDING_ABORTED: it prefetches the page's <link rel="next"> (the FAQ,
  // after the calculator) when idle, and the next navigation cuts that off. Those are listed apart;
  // any other failure fails the smoke.
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText;
    (reason === "NS_BINDING_ABORTED" ? report.aborted : report.failed).push(`${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) report.failed.push(`${response.url()} (HTTP ${response.status()})`);
  });
  let started = Date.now();
  await page.goto(base + "calculator/");
  report.steps.ready = await ready(page);
  report.steps.ready_seconds = (Date.now() - started) / 1000;
  report.steps.quick = await quick(page, "93");
  await page.click('input[data-mode="readiness"]');
  await page.evaluate(() => {
    for (const radio of document.querySelectorAll('[data-readiness] input[type="radio"][value="met"]')) radio.click();
  });
  report.steps.readiness = await level(page, "five_star");
  await searchReady(page);
  started = Date.now();
  await page.reload();
  report.steps.reload = await ready(page);
  report.steps.reload_seconds = (Date.now() - started) / 1000;
  await searchReady(page); // the reload restored the answers, so the search loads again
  await page.goto(base + "en/calculator/");
  report.steps.english = await ready(page);
  report.steps.english_quick = await quick(page, "93");
  report.steps.english_lang = await page.evaluate(() => document.documentElement.lang);
  report.version = await browser.version();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
