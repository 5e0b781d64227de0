// The glob of `--keep` patterns, matched in time linear in the pattern times the text.
//
// A backtracking matcher (picomatch compiles to a JavaScript RegExp) can take exponential time on a
// pattern such as `**/*?*?*?*?*?*?*?*?*?*?X` against an ordinary CI tag (19 s for one reference, and
// the window recomputes the preview as the user types). Here the pattern becomes a small automaton
// that is run over the text with the set of states it can be in, so no input can make it backtrack;
// and a pattern whose automaton would be too large is refused with a clear message.
//
// The grammar, as README documents it: `*` any run of characters except `/`, `**` as a whole path
// segment any number of segments (`a/**/b` matches `a/b` and `a/x/y/b`, `a/**` also `a`), `?` one
// character except `/`, `[abc]`, `[a-z]`, `[!a]` or `[^a]` one character of (or not of) a set,
// `{a,b}` alternatives (nested too), `\` makes the next character literal. Anything else is itself.

/** Alternatives after `{…}` expansion; more is refused (`{a,b}{c,d}…` multiplies). */
export const MAX_GLOB_ALTERNATIVES = 256
/** Steps of the automata together; bounds each match to this many steps per character of text. */
export const MAX_GLOB_STATES = 4096

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'one' }
  | { kind: 'star' }
  | { kind: 'set'; negated: boolean; ranges: [string, string][] }
  /** `**` followed by `/`: zero or more whole segments, each with its `/`. */
  | { kind: 'segments' }
  /** `/**` at the end: nothing, or `/` and anything. */
  | { kind: 'tail' }
  /** `**` as the whole pattern (or an alternative): anything. */
  | { kind: 'all' }

export interface Glob {
  pattern: string
  alternatives: Token[][]
}

export class GlobError extends Error {
  /** Well-formed, but larger than the bounds allow. */
  constructor(
    message: string,
    readonly tooComplex = false
  ) {
    super(message)
  }
}

/** Parses `pattern`; throws GlobError with a message fit for the user when it is malformed or too large. */
export function compileGlob(pattern: string): Glob {
  const alternatives = expandBraces(pattern).map(tokenize)
  const states = alternatives.reduce((n, a) => n + a.length + 1, 0)
  if (states > MAX_GLOB_STATES) {
    throw new GlobError(`${states} steps after {…} expansion, at most ${MAX_GLOB_STATES}`, true)
  }
  return { pattern, alternatives }
}

/** Whether `text` matches; `count`, when given, receives the number of automaton steps taken (tests). */
export function matchGlob(glob: Glob, text: string, count?: { steps: number }): boolean {
  return glob.alternatives.some((tokens) => run(tokens, text, count))
}

// ---- {…} expansion ----

function expandBraces(pattern: string): string[] {
  const open = findOpenBrace(pattern)
  if (open < 0) return [pattern]
  const close = findCloseBrace(pattern, open)
  const inner = pattern.slice(open + 1, close)
  const prefix = pattern.slice(0, open)
  const suffixes = expandBraces(pattern.slice(close + 1))
  const parts = splitTopLevel(inner)
  // `{a}` with no comma is literal text, as in a shell.
  const choices = parts.length > 1 ? parts.flatMap(expandBraces) : [`\\{${inner}\\}`]
  const out: string[] = []
  for (const c of choices) {
    for (const s of suffixes) {
      out.push(prefix + c + s)
      if (out.length > MAX_GLOB_ALTERNATIVES) {
        throw new GlobError(`its {…} alternatives expand to more than ${MAX_GLOB_ALTERNATIVES} patterns`, true)
      }
    }
  }
  return out
}

/** The first unescaped `{` outside a `[…]` set, or -1. */
function findOpenBrace(p: string): number {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++
    else if (p[i] === '[') i = setEnd(p, i)
    else if (p[i] === '{') return i
    else if (p[i] === '}') throw new GlobError('it has a "}" without "{"; write \\} for a literal }')
  }
  return -1
}

function findCloseBrace(p: string, open: number): number {
  let depth = 0
  for (let i = open; i < p.length; i++) {
    if (p[i] === '\\') i++
    else if (p[i] === '[') i = setEnd(p, i)
    else if (p[i] === '{') depth++
    else if (p[i] === '}' && --depth === 0) return i
  }
  throw new GlobError('it has a "{" without "}"; write \\{ for a literal {')
}

function splitTopLevel(inner: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\') i++
    else if (inner[i] === '[') i = setEnd(inner, i)
    else if (inner[i] === '{') depth++
    else if (inner[i] === '}') depth--
    else if (inner[i] === ',' && depth === 0) {
      parts.push(inner.slice(start, i))
      start = i + 1
    }
  }
  parts.push(inner.slice(start))
  return parts
}

/** The index of the `]` closing the set opened at `open`. */
function setEnd(p: string, open: number): number {
  let i = open + 1
  if (p[i] === '!' || p[i] === '^') i++
  if (p[i] === ']') i++
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++
    else if (p[i] === ']') return i
  }
  throw new GlobError('it has a "[" without "]"; write \\[ for a literal [')
}

// ---- tokens ----

function tokenize(p: string): Token[] {
  if (p === '**') return [{ kind: 'all' }]
  const tokens: Token[] = []
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    const segmentStart = i === 0 || p[i - 1] === '/'
    if (c === '\\') {
      if (i + 1 >= p.length) throw new GlobError('it ends with a lone "\\"')
      tokens.push({ kind: 'char', char: p[++i] })
    } else if (c === '/' && p.slice(i + 1) === '**') {
      tokens.push({ kind: 'tail' })
      break
    } else if (c === '*' && p[i + 1] === '*') {
      let j = i
      while (p[j] === '*') j++
      if (segmentStart && p[j] === '/') {
        tokens.push({ kind: 'segments' })
        i = j
      } else {
        // `**` inside a segment is `*`, as in picomatch and bash without globstar.
        tokens.push({ kind: 'star' })
        i = j - 1
      }
    } else if (c === '*') {
      // Runs of `*` are one `*`: they match the same, and keep the automaton small.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (c === '?') tokens.push({ kind: 'one' })
    else if (c === '[') {
      const end = setEnd(p, i)
      tokens.push(parseSet(p.slice(i + 1, end)))
      i = end
    } else tokens.push({ kind: 'char', char: c })
  }
  return tokens
}

function parseSet(body: string): Token {
  let i = 0
  const negated = body[0] === '!' || body[0] === '^'
  if (negated) i++
  const chars: string[] = []
  for (; i < body.length; i++) chars.push(body[i] === '\\' ? body[++i] : body[i])
  const ranges: [string, string][] = []
  for (let k = 0; k < chars.length; k++) {
    if (chars[k + 1] === '-' && k + 2 < chars.length) {
      if (chars[k] > chars[k + 2]) throw new GlobError(`its range [${chars[k]}-${chars[k + 2]}] is backwards`)
      ranges.push([chars[k], chars[k + 2]])
      k += 2
    } else ranges.push([chars[k], chars[k]])
  }
  return { kind: 'set', negated, ranges }
}

// ---- the automaton ----
// State 2k is "before token k", 2k+1 is "inside token k" (inside a segment of `**/`, after the `/` of
// `/**`); state 2n (n = tokens.length) accepts.

function run(tokens: Token[], text: string, count?: { steps: number }): boolean {
  const n = tokens.length
  const size = 2 * n + 2
  let cur = new Uint8Array(size)
  let next = new Uint8Array(size)
  const add = (set: Uint8Array, s: number): void => {
    if (set[s]) return
    set[s] = 1
    // Moves that consume nothing: past a `*`, `**/` or `**`, and from `/**` to the end.
    if (s % 2 === 0 && s < 2 * n) {
      const t = tokens[s / 2]
      if (t.kind === 'star' || t.kind === 'segments' || t.kind === 'all') add(set, s + 2)
      else if (t.kind === 'tail') add(set, 2 * n)
    }
  }
  add(cur, 0)
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    next.fill(0)
    let any = false
    for (let s = 0; s < 2 * n; s++) {
      if (!cur[s]) continue
      if (count) count.steps++
      const k = s >> 1
      const t = tokens[k]
      const inside = s % 2 === 1
      switch (t.kind) {
        case 'char':
          if (c === t.char) add(next, s + 2)
          break
        case 'one':
          if (c !== '/') add(next, s + 2)
          break
        case 'set':
          if (c !== '/' && inSet(t, c)) add(next, s + 2)
          break
        case 'star':
          if (c !== '/') add(next, s)
          break
        case 'all':
          add(next, s)
          break
        case 'segments':
          // A segment is at least one character, then its `/`.
          if (c === '/') {
            if (inside) add(next, 2 * k)
          } else add(next, 2 * k + 1)
          break
        case 'tail':
          if (inside || c === '/') add(next, 2 * k + 1)
          break
      }
    }
    for (let s = 0; s < size && !any; s++) any = next[s] === 1
    if (!any) return false
    ;[cur, next] = [next, cur]
  }
  if (cur[2 * n]) return true
  // Inside `/**` (after its `/`) accepts too.
  return n > 0 && tokens[n - 1].kind === 'tail' && cur[2 * n - 1] === 1
}

function inSet(t: { negated: boolean; ranges: [string, string][] }, c: string): boolean {
  const hit = t.ranges.some(([lo, hi]) => c >= lo && c <= hi)
  return hit !== t.negated
}
