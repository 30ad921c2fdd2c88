#!/usr/bin/env node
// Opens one page of the published site in Debian's headless chromium and says, as
// JSON on stdout, what a reader gets there, for tests/release/test_site.py:
//
//   node tools/site-browser.js URL PROFILE_DIR [TEXT]
//
// - TEXT, when given, is typed into the page's search box (#search), key by key,
//   as a reader would; the page's own script then filters the list.
// - "shown": the titles (h2) of the list items the reader can see; "status": what
//   the search's status line says; "searchVisible": whether the search form shows.
// - "focus": the element the first Tab key focuses (its text, whether it is on
//   screen) and the outline that shows it.
// - "violations": axe-core's (tools/axe/package-lock.json) result on the page as it
//   is then: each rule's id, impact, help and the CSS selectors of its nodes.
// - "consoleErrors": what the page's scripts and the Content-Security-Policy
//   reported as errors; "badResponses": every file the page asked for and did not
//   get (status or network error, and its address).
//
// The browser is tools/chromium-for-ace (no network but loopback, no GPU, nothing
// phoning home) in a profile under PROFILE_DIR, talked to over a pipe, not a port.
// axe is evaluated through the DevTools protocol, which the page's CSP does not
// govern, so the page is checked with its CSP in force.
"use strict";

const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const MODULES = path.join(ROOT, ".tools", "axe", "node_modules");
const CHROMIUM = path.join(ROOT, "tools", "chromium-for-ace");
const TIMEOUT_MS = 60000;

async function main() {
  const [url, profile, text] = process.argv.slice(2);
  if (!url || !profile) {
    process.stderr.write("usage: node tools/site-browser.js URL PROFILE_DIR [TEXT]\n");
    process.exit(2);
  }
  const puppeteer = require(path.join(MODULES, "puppeteer-core"));
  const axeSource = fs.readFileSync(path.join(MODULES, "axe-core", "axe.min.js"), "utf8");
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    userDataDir: profile,
    args: [],
    timeout: TIMEOUT_MS,
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const consoleErrors = [];
    const badResponses = [];
    page.on("console", (message) => {
      // A file that did not load is reported below, with its address.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        consoleErrors.push(message.text());
      }
    });
    page.on("response", (response) => {
      if (response.status() >= 400) badResponses.push(`${response.status()} ${response.url()}`);
    });
    page.on("requestfailed", (request) => {
      badResponses.push(`${request.failure() ? request.failure().errorText : "failed"} ${request.url()}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    await page.goto(url, { waitUntil: "load" });
    if (text !== undefined) {
      await page.type("#search", text);
    }
    const state = await page.evaluate(() => {
      const visible = (element) => element.getClientRects().length > 0;
      const form = document.getElementById("search-form");
      const status = document.getElementById("search-status");
      return {
        title: document.title,
        searchVisible: Boolean(form && visible(form)),
        status: status ? status.textContent.trim() : null,
        shown: Array.from(document.querySelectorAll("#leaflets > li"))
          .filter(visible)
          .map((item) => item.querySelector("h2").textContent.trim()),
      };
    });
    // What the first Tab focuses, and the ring that shows it.
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const element = document.activeElement;
      const style = window.getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return {
        text: element.textContent.trim(),
        outlineStyle: style.outlineStyle,
        outlineWidth: style.outlineWidth,
        onScreen: box.bottom > 0 && box.right > 0 && box.width > 0 && box.height > 0,
      };
    });
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const outcome = await window.axe.run(document);
      return outcome.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(" ")),
      }));
    });
    process.stdout.write(JSON.stringify({ ...state, focus, violations: result, consoleErrors, badResponses }) + "\n");
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`site-browser: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
