// The one table `npm run bench` prints: every row measured in the same run, median ms at each size (min beside the
// largest), growth from the smallest to the largest size, the peer it is compared with, and the target.
import type { SizeResult } from './measure-size'
import type { Sample } from './timing'

interface Target {
  /** e.g. "≤ 25 ms". */
  text: string
  /** Positive: met with this much margin; negative: missed by this much (in the target's unit). */
  check: (r: SizeResult, own: Sample, peer: Sample | null) => { met: boolean; by: string }
}

interface Row {
  label: string
  pick: (r: SizeResult) => Sample | null
  peerLabel?: string
  peer?: (r: SizeResult) => Sample | null
  target?: Target
  /** Growth is only judged for rows that should scale with the cache. */
  growthTarget?: boolean
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))

function atMost(limit: number): Target {
  return {
    text: `< ${limit} ms`,
    check: (_r, own) => ({
      met: own.median <= limit,
      by: own.median <= limit ? `${ms(limit - own.median)} ms to spare` : `missed by ${ms(own.median - limit)} ms`
    })
  }
}

function faster(times: number, limit?: number): Target {
  return {
    text: `${limit !== undefined ? `≤ ${limit} ms, ` : ''}≥ ${times}× faster`,
    check: (_r, own, peer) => {
      const ratio = peer ? peer.median / own.median : NaN
      const fast = ratio >= times
      const quick = limit === undefined || own.median <= limit
      const parts = [`${ratio.toFixed(1)}×`]
      if (limit !== undefined) parts.push(quick ? 'in time' : `missed by ${ms(own.median - limit)} ms`)
      if (!fast) parts.push(`${(times - ratio).toFixed(1)}× short`)
      return { met: fast && quick, by: parts.join(', ') }
    }
  }
}

const ROWS: Row[] = [
  { label: 'sqlite floor: list SQL, better-sqlite3 raw', pick: (r) => r.core.sqliteFloor ?? null },
  { label: 'sqlite floor: list SQL, sqlite3 CLI process', pick: (r) => r.sqliteCli },
  {
    label: 'core list, warm',
    pick: (r) => r.core.list!.warm,
    peerLabel: 'SDK Image.list, warm',
    peer: (r) => r.sdkList,
    target: faster(5, 25),
    growthTarget: true
  },
  {
    label: 'core list, cold (new Cache)',
    pick: (r) => r.core.list!.cold,
    peerLabel: 'SDK Image.list, 1st call',
    peer: (r) => r.sdk.first ?? null,
    growthTarget: true
  },
  { label: 'msb image ls --format json (process)', pick: (r) => r.msbList, growthTarget: true },
  {
    label: 'core inspect, warm',
    pick: (r) => r.core.inspect!.warm,
    peerLabel: 'SDK Image.inspect',
    peer: (r) => r.sdkInspect,
    target: atMost(2)
  },
  { label: 'core inspect, cold (new Cache)', pick: (r) => r.core.inspect!.cold },
  { label: 'msb image inspect --format json (process)', pick: (r) => r.msbInspect },
  { label: 'core insight (detail pane), warm', pick: (r) => r.core.insight!.warm, growthTarget: true },
  { label: 'core usage, cold (new Cache)', pick: (r) => r.core.usage!.cold, target: atMost(300), growthTarget: true },
  { label: 'core usage, warm (nothing changed)', pick: (r) => r.core.usage!.warm, target: atMost(50) },
  {
    label: 'core prunePlan, cold (new Cache)',
    pick: (r) => r.core.prunePlan!.cold,
    target: atMost(200),
    growthTarget: true
  },
  {
    label: 'core prunePlan, warm (files scanned)',
    pick: (r) => r.core.prunePlan!.warm,
    target: atMost(200),
    growthTarget: true
  },
  {
    label: 'core prune all, as-is (grace 250 ms)',
    pick: (r) => r.corePrune,
    peerLabel: 'msb image prune -y',
    peer: (r) => r.msbPrune,
    target: faster(2),
    growthTarget: true
  },
  {
    label: 'core prune all, grace 0',
    pick: (r) => r.corePruneNoGrace,
    peerLabel: 'msb image prune -y',
    peer: (r) => r.msbPrune,
    growthTarget: true
  },
  {
    label: 'SDK Image.prune (in process)',
    pick: (r) => r.sdkPrune,
    peerLabel: 'msb image prune -y',
    peer: (r) => r.msbPrune
  },
  {
    label: 'core remove one image',
    pick: (r) => r.coreRemove,
    peerLabel: 'msb image rm (process)',
    peer: (r) => r.msbRemove
  },
  {
    label: 'SDK Image.remove one image',
    pick: (r) => r.sdkRemove,
    peerLabel: 'msb image rm (process)',
    peer: (r) => r.msbRemove
  }
]

function pad(s: string, n: number, right = false): string {
  const len = [...s].length
  return right ? ' '.repeat(Math.max(0, n - len)) + s : s + ' '.repeat(Math.max(0, n - len))
}

export function renderTable(results: SizeResult[]): string {
  const small = results[0]
  const large = results[results.length - 1]
  const sizeRatio = large.fixture.imageCount / small.fixture.imageCount
  const header = [
    'operation',
    ...results.map((r) => `${r.fixture.imageCount} imgs`),
    `min @${large.fixture.imageCount}`,
    `cpu @${large.fixture.imageCount}`,
    'growth',
    `peer @${large.fixture.imageCount}`,
    'peer ms',
    'ratio',
    'target',
    'result'
  ]
  const lines: string[][] = [header]
  for (const row of ROWS) {
    const own = results.map((r) => row.pick(r))
    const last = own[own.length - 1]
    if (!last) continue
    const first = own[0]
    const growth = first ? last.median / first.median : NaN
    const peer = row.peer?.(large) ?? null
    const ratio = peer ? peer.median / last.median : null
    let result = ''
    if (row.target) {
      const c = row.target.check(large, last, peer)
      result = `${c.met ? '✓ met' : '✗ MISSED'} (${c.by})`
    }
    if (row.growthTarget && Number.isFinite(growth) && growth > sizeRatio) {
      result += `${result ? '; ' : ''}✗ growth ${growth.toFixed(1)}× > ${sizeRatio}×`
    }
    lines.push([
      row.label,
      ...own.map((s) => (s ? ms(s.median) : '—')),
      ms(last.min),
      last.cpuMedian !== undefined ? ms(last.cpuMedian) : '',
      Number.isFinite(growth) ? `${growth.toFixed(1)}×` : '—',
      row.peerLabel ?? '',
      peer ? ms(peer.median) : '',
      ratio !== null ? `${ratio.toFixed(1)}× ${ratio >= 1 ? 'faster' : 'slower'}` : '',
      row.target?.text ?? (row.growthTarget ? `growth ≤ ${sizeRatio}×` : ''),
      result || (row.growthTarget ? '✓ growth' : '')
    ])
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? '')].length)))
  const numeric = new Set(header.map((_, i) => i).filter((i) => i > 0 && i <= results.length + 3))
  numeric.add(header.indexOf('peer ms'))
  const fmt = (l: string[]) => `| ${l.map((c, i) => pad(c, widths[i], numeric.has(i))).join(' | ')} |`
  const out = [
    fmt(lines[0]),
    `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
  ]
  for (const l of lines.slice(1)) out.push(fmt(l))
  return out.join('\n')
}

export function renderChecks(results: SizeResult[]): string {
  const out: string[] = []
  for (const r of results) {
    for (const c of r.checks)
      out.push(`${c.ok ? '✓' : '✗'} ${r.fixture.imageCount} images: ${c.name}${c.ok ? '' : ` — ${c.detail}`}`)
  }
  return out.join('\n')
}
