// npm run bench:compare — how fast the Experiments area is with many runs, in Chromium against
// `lathe serve`, on a generated workspace of 10,000 runs (params and metrics each; 100 of them
// 10,000 steps long in 3 metrics), with references measured in the same run:
//   1. Compare 100 runs × 10,000 steps × 3 metrics: from the click on Compare to every chart's
//      lines painted (aim: under 1 s), with nothing cached, again (this window's cache), and
//      after a reload (the IndexedDB copy); the reference draws every point (the "Every point"
//      switch), as a UI that does not downsample would.
//   2. Scroll the runs table through all 10,000 runs, 400 px a frame: frame times and long tasks
//      (PerformanceObserver 'longtask'); the reference is a plain table of the same 10,000 rows,
//      every row in the page, scrolled the same way.
//   LATHE_BENCH_RUNS=10000 LATHE_BENCH_LONG=100 LATHE_BENCH_STEPS=10000 (the defaults)
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { metricNumber } from '../../shared/contract/runs.ts';
import { trackingFor } from '../core/tracking/open-tracking.ts';
import { Workspace } from '../core/workspace/workspace.ts';
import { logSampleRuns } from './sample-runs.ts';

const RUNS = Number(process.env.LATHE_BENCH_RUNS ?? 10_000);
const LONG = Number(process.env.LATHE_BENCH_LONG ?? 100);
const STEPS = Number(process.env.LATHE_BENCH_STEPS ?? 10_000);
const SCROLL_STEP = 400;
const root = join(import.meta.dirname, '..', '..');
const chromiumPath = process.env.LATHE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The little of the browser the in-page code below uses. main/ is compiled without DOM types (it
 * runs in Node), so the functions handed to page.evaluate read these off globalThis.
 */
interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  innerHTML: string;
  click(): void;
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
  performance: { now(): number; clearResourceTimings(): void; setResourceTimingBufferSize(size: number): void; getEntriesByType(type: string): { name: string; responseEnd: number }[] };
  requestAnimationFrame(callback: (now: number) => void): number;
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: string }): void; disconnect(): void };
}

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The bench measures the built UI: build it when it is missing or older than its sources. */
function ensureUiBuilt(): void {
  const built = join(root, 'renderer/dist/index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newestChange(join(root, 'renderer/src')), newestChange(join(root, 'shared')))) return;
  console.log('Building the UI…');
  const build = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('Building the UI failed');
}

async function startServer(workspace: string, home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['main/cli/lathe.ts', 'serve', '--workspace', workspace, '--port', '0', '--json'], {
    cwd: root,
    env: { ...process.env, HOME: home, LATHE_CONFIG_DIR: join(home, 'config'), LATHE_DEFAULT_WORKSPACE: workspace },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`lathe serve exited (${code})`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

interface ScrollFigures {
  frames: number;
  seconds: number;
  p50: number;
  p95: number;
  worst: number;
  over50: number;
  longTasks: number;
  longTaskMs: number;
}

/** Scroll `selector` from top to bottom, `step` pixels a frame, timing every frame and every long task. */
function scrollThrough(page: Page, selector: string, step: number): Promise<ScrollFigures> {
  return page.evaluate(
    ({ selector, step }) =>
      new Promise<ScrollFigures>((resolve) => {
        const { document, performance, requestAnimationFrame, PerformanceObserver } = globalThis as unknown as PageGlobals;
        const scroller = document.querySelector(selector)!;
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => entry.duration)));
        observer.observe({ type: 'longtask' });
        const frames: number[] = [];
        scroller.scrollTop = 0;
        const started = performance.now();
        let last = started;
        const tick = (now: number) => {
          frames.push(now - last);
          last = now;
          const end = scroller.scrollHeight - scroller.clientHeight;
          if (scroller.scrollTop < end - 1) {
            scroller.scrollTop = Math.min(end, scroller.scrollTop + step);
            requestAnimationFrame(tick);
            return;
          }
          observer.disconnect();
          const sorted = [...frames].sort((a, b) => a - b);
          resolve({
            frames: frames.length,
            seconds: (now - started) / 1000,
            p50: sorted[Math.floor(sorted.length / 2)] ?? 0,
            p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
            worst: sorted.at(-1) ?? 0,
            over50: frames.filter((frame) => frame > 50).length,
            longTasks: longTasks.length,
            longTaskMs: longTasks.reduce((sum, duration) => sum + duration, 0),
          });
        };
        requestAnimationFrame(tick);
      }),
    { selector, step },
  );
}

interface DrawFigures {
  /** Click to every line painted. */
  total: number;
  /** Curve requests made, and when the last answer was in (from the click). */
  requests: number;
  fetched: number;
}

/** Click `click`, then time until every compare chart shows `lines` lines at `resolution`, and the frame after is painted. */
function timeUntilDrawn(page: Page, click: string, charts: number, lines: number, resolution: 'every' | 'screen'): Promise<DrawFigures> {
  return page.evaluate(
    ({ click, charts, lines, resolution }) =>
      new Promise<DrawFigures>((resolve) => {
        const { document, performance, requestAnimationFrame } = globalThis as unknown as PageGlobals;
        // Room for every curve request (the default buffer holds 250).
        performance.setResourceTimingBufferSize(5000);
        performance.clearResourceTimings();
        const started = performance.now();
        const finish = () => {
          const total = performance.now() - started;
          const curves = performance.getEntriesByType('resource').filter((entry) => /runs:metric-histor(y|ies)/.test(entry.name));
          resolve({ total, requests: curves.length, fetched: curves.reduce((last, entry) => Math.max(last, entry.responseEnd - started), 0) });
        };
        const check = () => {
          const figures = Array.from(document.querySelectorAll('.compare-chart'));
          const drawn =
            figures.length === charts &&
            figures.every((figure) => figure.dataset.state === 'drawn' && Number(figure.dataset.lines) === lines && (figure.dataset.resolution === 'every') === (resolution === 'every'));
          if (drawn) requestAnimationFrame(() => requestAnimationFrame(finish));
          else requestAnimationFrame(check);
        };
        document.querySelector(click)!.click();
        requestAnimationFrame(check);
      }),
    { click, charts, lines, resolution },
  );
}

const countIs = (page: Page, text: string) =>
  page.waitForFunction((text) => (globalThis as unknown as PageGlobals).document.querySelector('.runs-toolbar__count')?.textContent?.trim() === text, text, { timeout: 180_000, polling: 50 });

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;

const home = await mkdtemp(join(tmpdir(), 'lathe-bench-compare-'));
const workspaceDir = join(home, 'workspace');
let server: ChildProcess | null = null;
try {
  console.log(`Experiments benchmark — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  ensureUiBuilt();

  // —— the workspace, written in-process through the tracking store ——
  let started = performance.now();
  const workspace = await Workspace.create(workspaceDir);
  const tracking = trackingFor(workspace, null);
  const ids = await logSampleRuns(tracking, { runs: RUNS, longRuns: LONG, steps: STEPS, experiment: 'bench' });
  // The reference table's rows: the same runs, as the table lists them.
  const listedRuns = tracking.searchRuns({ maxResults: 10_000 }).runs;
  // Main's own share of a comparison: every curve read and downsampled in-process, and its JSON,
  // without HTTP (what one call for all the curves would cost main).
  const curveKeys = ['loss', 'val_loss', 'accuracy'];
  const generated = performance.now() - started;
  started = performance.now();
  let curveJson = 0;
  for (const id of ids.slice(0, LONG)) {
    for (const key of curveKeys) {
      const history = tracking.metricHistory(id, key, { maxPoints: 640 });
      curveJson += JSON.stringify({ key, steps: Array.from(history.steps), values: Array.from(history.values), timestamps: Array.from(history.timestamps) }).length;
    }
  }
  const inProcess = performance.now() - started;
  await workspace.close();
  console.log(`Generated ${RUNS.toLocaleString('en-US')} runs (${LONG} of them ${STEPS.toLocaleString('en-US')} steps × 3 metrics) in ${(generated / 1000).toFixed(1)} s\n`);

  const { child, url } = await startServer(workspaceDir, home);
  server = child;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.waitForSelector('.shell');

  // —— the runs table ——
  started = performance.now();
  await page.evaluate(() => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = '#/experiments';
  });
  await page.waitForSelector('.runs-table__row');
  const firstRows = performance.now() - started;
  await countIs(page, `${RUNS.toLocaleString('en-US')} runs`);
  const allRows = performance.now() - started;
  const inPage = await page.locator('.runs-table__row').count();
  const virtual = await scrollThrough(page, '.runs-table', SCROLL_STEP);
  started = performance.now();
  await page.locator('.runs-table__sort[title="Sort by val_accuracy"]').click();
  await page.waitForSelector('[role="columnheader"][aria-sort="descending"] .runs-table__sort[title="Sort by val_accuracy"]');
  const sorted = performance.now() - started;

  // Reference: the same runs as one plain table, every row in the page.
  const reference = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await reference.setContent('<!doctype html><body style="margin:0;font:13px system-ui"><div id="scroller" style="height:1000px;overflow:auto"></div></body>');
  const cell = (text: string) => `<td style="padding:8px 10px;border-bottom:1px solid #e6e6ea;white-space:nowrap">${escapeHtml(text)}</td>`;
  const html = `<table style="border-collapse:collapse">${listedRuns
    .map((run) => `<tr>${[run.status, run.name, new Date(run.startTime).toISOString(), ...Object.values(run.metrics).slice(0, 5).map((metric) => metricNumber(metric.value).toPrecision(4)), ...Object.values(run.params).slice(0, 5)].map(cell).join('')}</tr>`)
    .join('')}</table>`;
  const referenceBuilt = await reference.evaluate(
    (html) =>
      new Promise<number>((resolve) => {
        const { document, performance, requestAnimationFrame } = globalThis as unknown as PageGlobals;
        const started = performance.now();
        document.querySelector('#scroller')!.innerHTML = html;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
      }),
    html,
  );
  const plain = await scrollThrough(reference, '#scroller', SCROLL_STEP);
  await reference.close();

  const scrollLine = (label: string, figures: ScrollFigures) =>
    `  ${label.padEnd(40)} ${String(figures.frames).padStart(4)} frames in ${figures.seconds.toFixed(1).padStart(4)} s = ${(figures.frames / figures.seconds).toFixed(0).padStart(3)} fps; frame p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, worst ${figures.worst.toFixed(0)} ms, ${figures.over50} over 50 ms; long tasks ${figures.longTasks} (${figures.longTaskMs.toFixed(0)} ms)`;
  console.log(`Runs table, ${RUNS.toLocaleString('en-US')} runs:`);
  console.log(`  first rows on screen                     ${ms(firstRows)}`);
  console.log(`  every run listed (pages of 2,000)        ${ms(allRows)}   (rows in the page: ${inPage})`);
  console.log(`  sort every run by a metric (click → sorted) ${ms(sorted)}`);
  console.log(`  scrolled top to bottom, ${SCROLL_STEP} px a frame:`);
  console.log(scrollLine('Lathe (virtual list)', virtual));
  console.log(scrollLine('reference: plain table, every row', plain));
  console.log(`  reference: plain table of ${listedRuns.length.toLocaleString('en-US')} rows built and painted in ${ms(referenceBuilt).trim()}\n`);

  // —— compare the long runs ——
  const longIds = new Set(ids.slice(0, LONG));
  async function selectLongRuns() {
    await page.getByRole('textbox', { name: 'Filter runs' }).fill(`params.epochs = '${STEPS}'`);
    await page.keyboard.press('Enter');
    await countIs(page, `${LONG} runs`);
    await page.locator('.runs-table__header input[type="checkbox"]').check();
  }
  await selectLongRuns();
  const visible = await page.evaluate(() => Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('.runs-table__row[aria-selected="true"]')).map((row) => row.dataset.runId!));
  if (visible.length === 0 || !visible.every((id) => longIds.has(id))) throw new Error('the filter ticked runs other than the long ones');
  const tickedCount = Number((await page.locator('.runs-toolbar__end .button--primary').textContent())?.replace(/\D/g, ''));
  if (tickedCount !== LONG) throw new Error(`${tickedCount} runs ticked, not ${LONG}`);
  const compare = '.runs-toolbar__end .button--primary';
  const cold = await timeUntilDrawn(page, compare, 3, LONG, 'screen');
  const resolution = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelector('.compare-chart')?.dataset.resolution);
  await page.goBack();
  await page.waitForSelector('.runs-table__row');
  const warm = await timeUntilDrawn(page, compare, 3, LONG, 'screen');
  // A reload on the runs view: this window's memory is gone, the IndexedDB copy remains.
  await page.goBack();
  await page.waitForSelector('.runs-table__row');
  await page.reload();
  await page.waitForSelector('.runs-table__row');
  await selectLongRuns();
  const afterReload = await timeUntilDrawn(page, compare, 3, LONG, 'screen');
  const every = await timeUntilDrawn(page, '.compare-header__option input', 3, LONG, 'every');
  const pathMegabytes = (await page.evaluate(() => Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('.compare-chart__line')).reduce((sum, path) => sum + (path.getAttribute('d')?.length ?? 0), 0))) / 1e6;
  await browser.close();

  const line = (label: string, figures: DrawFigures, note = '') =>
    `  ${label.padEnd(66)} ${ms(figures.total)}   ${figures.requests > 0 ? `(${figures.requests} request${figures.requests === 1 ? '' : 's'} for curves; the last answered at ${figures.fetched.toFixed(0)} ms)` : '(no request to main)'}${note}`;
  console.log(`Compare ${tickedCount} runs × ${STEPS.toLocaleString('en-US')} steps × 3 metrics (3 charts × ${LONG} lines), from the click on Compare to every line painted:`);
  console.log(line(`downsampled by main (LTTB, ${resolution} points a curve), nothing cached`, cold, cold.total < 1000 ? '  — under 1 s' : '  — OVER 1 s'));
  console.log(line("again: curves in this window's memory", warm));
  console.log(line('after a reload: curves from IndexedDB', afterReload));
  console.log(`  main's share, in-process: ${LONG * 3} curves read and downsampled to 640 points in ${inProcess.toFixed(0)} ms (${(curveJson / 1e6).toFixed(1)} MB as JSON)`);
  console.log(line(`reference: every point (${(STEPS * LONG * 3).toLocaleString('en-US')} points)`, every, `; ${(every.total / cold.total).toFixed(1)}× the downsampled draw, ${pathMegabytes.toFixed(1)} MB of SVG path`));
} finally {
  server?.kill('SIGTERM');
  await rm(home, { recursive: true, force: true });
}
