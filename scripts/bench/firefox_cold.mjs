// Cold visits to the calculator page in Firefox (Debian's firefox-esr) over WebDriver BiDi, for
// scripts/bench/engines.py: each visit in a fresh browser context (its own cache), the time of
// the first answer as the page marked it (`gc-answered`, ms after navigation). Prints JSON.
//
//   node scripts/bench/firefox_cold.mjs URL FIREFOX_PATH VISITS

import puppeteer from "puppeteer-core";

const [url, executablePath, visits] = process.argv.slice(2);
const browser = await puppeteer.launch({ browser: "firefox", executablePath, headless: true });
const times = [];
try {
  for (let i = 0; i < Number(visits); i++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => performance.getEntriesByName("gc-answered").length > 0, {
      timeout: 180_000,
      polling: 50,
    });
    times.push(await page.evaluate(() => performance.getEntriesByName("gc-answered")[0].startTime));
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ version: await browser.version().catch(() => "?"), times }));
