// Runtime schemas for every contract operation's argument, and the names derived from the contract.
//
// zod validates at the edges (IPC handlers, HTTP routes, CLI) so the core can trust its inputs. The
// `satisfies` clause makes a missing or extra operation a compile error, so this table cannot drift
// from `CacheApi`.
import { z } from 'zod'
import type { ArgsOf, Operation } from './contract'
import { CacheError } from './errors'

const none = z.object({}).strict()
const reference = z
  .string()
  .min(1, 'reference is empty')
  .max(4096, 'reference is too long')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'reference contains control characters')
const references = z.array(reference).min(1, 'no reference given').max(100_000)
const fingerprint = z.string().max(256).optional()
const scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unused') }).strict(),
  z.object({ kind: z.literal('dangling') }).strict(),
  z.object({ kind: z.literal('images'), references }).strict()
])

export const operationSchemas = {
  status: none,
  list: none,
  get: z.object({ reference }).strict(),
  inspect: z.object({ reference }).strict(),
  insight: z.object({ reference }).strict(),
  usage: none,
  selectionUsage: z.object({ references: z.array(reference).max(100_000) }).strict(),
  removePlan: z.object({ references, force: z.boolean() }).strict(),
  remove: z.object({ references, force: z.boolean(), fingerprint }).strict(),
  prunePlan: z.object({ scope }).strict(),
  prune: z.object({ scope, fingerprint }).strict(),
  openDemo: none
} satisfies { [K in Operation]: z.ZodType<ArgsOf<K>> }

export const OPERATIONS = Object.keys(operationSchemas) as Operation[]

/**
 * Operations that change the cache (or, for openDemo, which cache is open); transports may treat them
 * differently (no caching, POST only).
 */
export const WRITE_OPERATIONS: ReadonlySet<Operation> = new Set<Operation>(['remove', 'prune', 'openDemo'])

export function isOperation(name: string): name is Operation {
  return Object.prototype.hasOwnProperty.call(operationSchemas, name)
}

/** The Electron IPC channel of an operation. */
export function channelOf(op: Operation): string {
  return `cache:${op}`
}

/** Validates an untrusted argument; throws `InvalidArgument` naming the first problem. */
export function parseArgs<K extends Operation>(op: K, raw: unknown): ArgsOf<K> {
  const result = operationSchemas[op].safeParse(raw ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new CacheError('InvalidArgument', `invalid arguments for ${op}: ${where}${issue?.message ?? 'malformed'}`, {
      issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
    })
  }
  return result.data as ArgsOf<K>
}
