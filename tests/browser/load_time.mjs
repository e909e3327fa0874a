// How long report.html takes to open in headless Chromium, in real time:
// from navigation start to the end of drawing (the page stores
// performance.now() in <body data-render-ms> when its heatmap is drawn).
//
//   node --experimental-websocket tests/browser/load_time.mjs out/report.html [RUNS]
//
// Drives Chromium over the DevTools protocol (Node 20's WebSocket; Node 22
// needs no flag). Prints each run and the median. CHROMIUM names the
// browser (default: chromium).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [pagePath, runsArg] = process.argv.slice(2);
if (!pagePath) {
  console.error("usage: load_time.mjs PAGE.html [RUNS]");
  process.exit(2);
}
const runs = Number(runsArg || 5);
const profile = mkdtempSync(join(tmpdir(), "luoshi-load-"));
const chrome = spawn(process.env.CHROMIUM || "chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });

const port = await new Promise((ok, fail) => {
  let err = "";
  chrome.stderr.on("data", d => {
    err += d;
    const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
    if (m) ok(m[1]);
  });
  chrome.on("exit", c => fail(new Error(`chromium exited (${c}) before listening`)));
});
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const ws = new WebSocket(targets.find(t => t.type === "page").webSocketDebuggerUrl);
await new Promise(ok => ws.addEventListener("open", ok));
let next = 0;
const waiting = new Map();
ws.addEventListener("message", ev => {
  const msg = JSON.parse(ev.data);
  if (waiting.has(msg.id)) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
});
const send = (method, params = {}) => new Promise(ok => {
  const id = ++next;
  waiting.set(id, ok);
  ws.send(JSON.stringify({ id, method, params }));
});
const sleep = ms => new Promise(ok => setTimeout(ok, ms));

const url = "file://" + resolve(pagePath);
const times = [];
for (let r = 0; r < runs; r++) {
  await send("Page.navigate", { url: url + "?run=" + r });
  let ms;
  for (let tries = 0; tries < 3000 && ms === undefined; tries++) {
    await sleep(10);
    const res = await send("Runtime.evaluate", {
      expression: `location.search === "?run=${r}" && document.body ? document.body.dataset.renderMs : undefined`,
      returnByValue: true,
    });
    ms = res.result && res.result.result ? res.result.result.value : undefined;
  }
  if (ms === undefined) throw new Error("the page did not finish drawing in 30 s");
  times.push(Number(ms));
  console.log(`run ${r + 1}: drawn ${ms} ms after navigation start`);
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)]} ms over ${runs} runs (${pagePath})`);
ws.close();
chrome.kill();
await sleep(200);
rmSync(profile, { recursive: true, force: true });
