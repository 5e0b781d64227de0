// The msb releases the explorer is proven against: its fixture caches are built by these binaries and its
// answers compared with theirs. Shown wherever the explorer names a home's schema or refuses one it does not know.
import type { SchemaState } from './contract'

export const TESTED_MSB_VERSIONS = ['0.6.18', '0.7.2'] as const

/** One line for the window, `df` and `--version`: which msb line's schema the home is at. */
export function describeSchema(schema: SchemaState): string {
  if (schema.kind === 'missing') return 'no msb database yet'
  const migrations = `${schema.migrations} migrations`
  if (schema.line === 'newer') return `schema of a newer msb (${migrations}; read-only)`
  return `msb ${schema.line} schema (${migrations}${schema.kind === 'unknown' ? '; unexpected set, read-only' : ''})`
}
