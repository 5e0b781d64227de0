// `tsx scripts/bench/ui.ts`: the renderer at 10,000 images, in Chromium through the serve mode (the same HTTP
// transport the browser e2e uses). Prints: data → first table paint, sort, search keystroke → result, frame times
// while scrolling 1,000 rows, and the page's JS heap. Every timing is taken inside the page (performance.now and
// requestAnimationFrame), so Playwright's own round trips are not counted.
//
//   tsx scripts/bench/ui.ts [--images 10000]
import { chromium, type Page } from '@playwright/test'
import { resolve } from 'node:path'
import { openCache } from '../../src/main/core/cache'
import { startServer } from '../../src/main/serve/http-server'
import { buildRenderer } from '../../e2e/support/build-renderer'
import { BENCH_DIR, ensureFixture } from './fixture-store'
import { load, sample, type Sample } from './timing'

const images = Number(process.argv[process.argv.indexOf('--images') + 1] || 10000) || 10000
const ROWS_TO_SCROLL = 1000
const ROW_HEIGHT = 40 // image-table.tsx

// Installed before the app's scripts: records when each API response ended and when the first table row
// was painted (first animation frame after the row appeared, then a task: the frame has been produced).
const INIT_SCRIPT = `
  window.__bench = { responses: {}, firstRowPaint: null }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const m = /\\/api\\/(\\w+)/.exec(e.name)
      if (m && window.__bench.responses[m[1]] === undefined) window.__bench.responses[m[1]] = e.responseEnd
    }
  }).observe({ type: 'resource', buffered: true })
  const afterPaint = (cb) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => cb(performance.now()); c.port2.postMessage(0) })
  window.__afterPaint = afterPaint
  new MutationObserver((_, obs) => {
    if (document.querySelector('.grid-body [role=row]')) { obs.disconnect(); afterPaint((t) => { window.__bench.firstRowPaint = t }) }
  }).observe(document, { childList: true, subtree: true })

  // Sort click or search keystroke → first paint after the rows or the result count changed (null: no change in 3 s).
  window.__timeToChange = (action, arg) => new Promise((done) => {
    const watched = [document.querySelector('.grid-body'), document.querySelector('.result-count')].filter(Boolean)
    const text = () => watched.map((e) => e.textContent).join('|')
    const before = text()
    let t0 = 0
    const timer = setTimeout(() => { obs.disconnect(); done(null) }, 3000)
    const obs = new MutationObserver(() => {
      if (text() === before) return
      obs.disconnect()
      clearTimeout(timer)
      afterPaint((t) => done(t - t0))
    })
    for (const e of watched) obs.observe(e, { childList: true, subtree: true, characterData: true })
    if (action === 'sort') {
      const button = [...document.querySelectorAll('.sort-button')].find((b) => b.title === arg)
      t0 = performance.now()
      button.click()
    } else {
      const input = document.querySelector('input[type=search]')
      input.addEventListener('keydown', (e) => { t0 = e.timeStamp }, { once: true })
      input.focus()
    }
  })

  // Scrolls the grid by five rows per frame until 'rows' rows went by; resolves with the frame-to-frame times.
  window.__scroll = (rows, rowHeight) => new Promise((done) => {
    const grid = document.querySelector('.image-grid')
    grid.scrollTop = 0
    const deltas = []
    let last = 0
    const frame = (t) => {
      if (last) deltas.push(t - last)
      last = t
      if (grid.scrollTop >= rows * rowHeight || grid.scrollTop + grid.clientHeight >= grid.scrollHeight) return done(deltas)
      grid.scrollTop += rowHeight * 5
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  })
`

interface UiFigures {
  navigationToData: number
  dataToFirstPaint: number
  sort: Sample
  search: Sample
  scroll: { frames: number; maxFrameMs: number; p95FrameMs: number; medianFrameMs: number; over50: number }
  heapMb: { used: number; afterGc: number }
}

/** Runs `action` in the page and resolves with ms from the action to the first paint after the table changed. */
function timeToChange(page: Page, action: 'sort' | 'key', arg: string): Promise<number | null> {
  return page.evaluate<number | null>(`window.__timeToChange(${JSON.stringify(action)}, ${JSON.stringify(arg)})`)
}

async function measure(page: Page, url: string): Promise<UiFigures> {
  await page.addInitScript(INIT_SCRIPT)
  await page.goto(url)
  await page.waitForFunction('window.__bench.firstRowPaint !== null', null, { timeout: 120_000 })
  const bench = await page.evaluate<{ responses: Record<string, number>; firstRowPaint: number }>('window.__bench')
  const dataReady = Math.max(bench.responses.list ?? 0, bench.responses.usage ?? 0)
  await page.waitForTimeout(500)

  const sorts: number[] = []
  const titles = await page.evaluate<string[]>(`[...document.querySelectorAll('.sort-button')].map((b) => b.title)`)
  for (let i = 0; i < 10; i++) {
    const t = await timeToChange(page, 'sort', titles[i % titles.length])
    if (t !== null) sorts.push(t)
    await page.waitForTimeout(150)
  }

  // One keystroke narrows 10,000 rows to one team's images, the next brings them all back.
  const searches: number[] = []
  for (let i = 0; i < 10; i++) {
    const key = i % 2 === 1 ? 'Backspace' : i % 4 === 0 ? 'w' : 'm'
    const pending = timeToChange(page, 'key', key)
    await page.waitForTimeout(20)
    await page.keyboard.press(key)
    const t = await pending
    if (t !== null) searches.push(t)
    await page.waitForTimeout(150)
  }

  const frames = await page.evaluate<number[]>(`window.__scroll(${ROWS_TO_SCROLL}, ${ROW_HEIGHT})`)
  const sortedFrames = [...frames].sort((a, b) => a - b)

  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const used = await page.evaluate<number>('performance.memory ? performance.memory.usedJSHeapSize : 0')
  await cdp.send('HeapProfiler.collectGarbage')
  const metrics = (await cdp.send('Performance.getMetrics')).metrics
  const afterGc = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0

  return {
    navigationToData: dataReady,
    dataToFirstPaint: bench.firstRowPaint - dataReady,
    sort: sample(sorts),
    search: sample(searches),
    scroll: {
      frames: frames.length,
      maxFrameMs: sortedFrames[sortedFrames.length - 1] ?? 0,
      p95FrameMs: sortedFrames[Math.floor(sortedFrames.length * 0.95)] ?? 0,
      medianFrameMs: sortedFrames[sortedFrames.length >> 1] ?? 0,
      over50: frames.filter((f) => f > 50).length
    },
    heapMb: { used: used / 2 ** 20, afterGc: afterGc / 2 ** 20 }
  }
}

const verdict = (met: boolean, text: string) => `${met ? '✓ met' : '✗ MISSED'} (${text})`

async function main(): Promise<void> {
  const fixture = ensureFixture(images)
  process.stderr.write(`building the renderer…\n`)
  const staticDir = await buildRenderer(resolve(BENCH_DIR, 'renderer'))
  const cache = openCache({ home: fixture.home })
  const server = await startServer({ api: cache, staticDir })
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-precise-memory-info'
    ]
  })
  const loadBefore = load()
  try {
    // The page's CSP forbids string evaluation; the measuring helpers are strings (plain JS, no bundler helpers).
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    const page = await context.newPage()
    const f = await measure(page, server.url)
    const ms = (n: number) => `${n.toFixed(1)} ms`
    console.log(
      `UI at ${fixture.references} images (Chromium ${browser.version()}, serve mode; load average ${loadBefore} before, ${load()} after)`
    )
    console.log('')
    console.log('| measure | value | target | result |')
    console.log('|---|---:|---|---|')
    console.log(`| page open → list+usage received (server computes usage cold) | ${ms(f.navigationToData)} | | |`)
    console.log(
      `| data received → first table paint | ${ms(f.dataToFirstPaint)} | < 500 ms | ${verdict(f.dataToFirstPaint < 500, ms(f.dataToFirstPaint))} |`
    )
    console.log(
      `| sort click → sorted table painted (median of ${f.sort.runs.length}, max ${ms(Math.max(...f.sort.runs))}) | ${ms(f.sort.median)} | < 50 ms | ${verdict(f.sort.median < 50, `median ${ms(f.sort.median)}`)} |`
    )
    console.log(
      `| search keystroke → result painted (median of ${f.search.runs.length}, max ${ms(Math.max(...f.search.runs))}) | ${ms(f.search.median)} | < 50 ms | ${verdict(f.search.median < 50, `median ${ms(f.search.median)}`)} |`
    )
    console.log(
      `| scroll ${ROWS_TO_SCROLL} rows: longest frame (${f.scroll.frames} frames, median ${ms(f.scroll.medianFrameMs)}, p95 ${ms(f.scroll.p95FrameMs)}, ${f.scroll.over50} > 50 ms) | ${ms(f.scroll.maxFrameMs)} | no frame > 50 ms | ${verdict(f.scroll.over50 === 0, `${f.scroll.over50} frames over`)} |`
    )
    console.log(
      `| renderer JS heap (used; after a forced GC) | ${f.heapMb.used.toFixed(1)} MB; ${f.heapMb.afterGc.toFixed(1)} MB | < 150 MB | ${verdict(f.heapMb.used < 150, `${f.heapMb.used.toFixed(0)} MB`)} |`
    )
    console.log('')
    console.log(
      `sort runs: ${f.sort.runs.map((r) => r.toFixed(0)).join(' ')} ms; search runs: ${f.search.runs.map((r) => r.toFixed(0)).join(' ')} ms`
    )
  } finally {
    await browser.close()
    await server.close()
    cache.close()
  }
}

await main()
