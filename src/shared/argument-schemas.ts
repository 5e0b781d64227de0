// Runtime schemas for every operation's argument, derived from the operation table (operations.ts).
//
// zod validates at the edges (IPC handlers, HTTP routes, CLI) so the core can trust its inputs. Each
// argument field has one schema here; an operation's schema is the strict object of the fields its
// table row names. Only the main side imports this file (the preload and the page do not bundle zod).
import { z } from 'zod'
import type { ArgsOf, Operation } from './contract'
import { invalidArguments } from './errors'
import { type ArgumentName, type ArgumentTypes, OPERATION_TABLE, OPERATIONS } from './operations'
import { hasControlCharacter, referenceProblem, referencesIssue } from './reference-rules'
import { keepPatternProblem, MAX_KEEP_LAST, MAX_KEEP_PATTERNS, parseDuration } from './retention'

const reference = z.string().superRefine((s, ctx) => {
  const problem = referenceProblem(s)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})
const references = z.array(z.string()).superRefine((list, ctx) => {
  const issue = referencesIssue(list)
  if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
})
const duration = z.string().superRefine((text, ctx) => {
  const parsed = parseDuration(text)
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error })
})
const pattern = z
  .string()
  .min(1, 'keep pattern is empty')
  .max(1024, 'keep pattern is too long')
  .refine((s) => !hasControlCharacter(s), 'keep pattern contains control characters')
  .superRefine((s, ctx) => {
    const problem = keepPatternProblem(s)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
const rules = z
  .object({
    unusedFor: duration.optional(),
    keepLast: z
      .number()
      .int('keep-last must be a whole number')
      .min(1, 'keep-last must be 1 or more')
      .max(MAX_KEEP_LAST)
      .optional(),
    keep: z.array(pattern).max(MAX_KEEP_PATTERNS).optional()
  })
  .strict()
  .refine(
    (r) => r.unusedFor !== undefined || r.keepLast !== undefined || (r.keep?.length ?? 0) > 0,
    'give at least one rule'
  )
const scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unused') }).strict(),
  z.object({ kind: z.literal('dangling') }).strict(),
  z.object({ kind: z.literal('images'), references }).strict(),
  z.object({ kind: z.literal('rules'), rules }).strict()
])

const ARGUMENT_SCHEMAS = {
  reference,
  references,
  force: z.boolean(),
  // Destructive calls from any client name the plan the user approved, so a confirmation deletes no more
  // than its preview listed (the window always has one; the CLI's prune makes its own, and its rm, which
  // shows no plan, calls the core directly and decides inside the transaction).
  fingerprint: z
    .string({ error: 'the fingerprint of an approved plan is required: make the plan (removePlan or prunePlan) first' })
    .min(1, 'the fingerprint is empty')
    .max(256),
  scope,
  homes: z.array(z.string().min(1, 'a home path is empty').max(4096)).max(64, 'too many homes'),
  layer: z.number().int().min(0).max(100_000).optional(),
  removing: z.array(reference).max(100_000),
  paths: z
    .array(
      z
        .string()
        .regex(/^flat\/(refs\/sha256_[0-9a-f]{64}\.json|blobs\/sha256_[0-9a-f]{64}\.raw)$/, 'not a flat artifact path')
    )
    .max(100_000)
} satisfies { [N in ArgumentName]-?: z.ZodType<ArgumentTypes[N]> }

function schemaOf(names: readonly ArgumentName[]): z.ZodType {
  return z.object(Object.fromEntries(names.map((name) => [name, ARGUMENT_SCHEMAS[name]]))).strict()
}

/** One strict object schema per operation. The table's `args` match the contract (checked in operations.ts). */
export const operationSchemas = Object.fromEntries(
  OPERATIONS.map((op) => [op, schemaOf(OPERATION_TABLE[op].args)])
) as { [K in Operation]: z.ZodType<ArgsOf<K>> }

/** Validates an untrusted argument; throws `InvalidArgument` naming the first problem. */
export function parseArgs<K extends Operation>(op: K, raw: unknown): ArgsOf<K> {
  const result = operationSchemas[op].safeParse(raw ?? {})
  if (!result.success) {
    throw invalidArguments(
      op,
      result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
    )
  }
  return result.data
}
