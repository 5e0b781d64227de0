// The CLI's words for flat rootfs artifacts: what a reclaim would delete, and what it did.
import type { FlatPlan, FlatReclaimResult } from '../../shared/contract'
import { formatBytes } from '../../shared/format'

export function describeFlatPlan(plan: FlatPlan): string {
  if (plan.artifacts.length === 0) return 'Flat rootfs artifacts: none unused.'
  const lines = [
    `Flat rootfs artifacts to delete: ${plan.artifacts.length}, ${formatBytes(plan.allocatedBytes)} on disk ` +
      `(${formatBytes(plan.logicalBytes)} long; the blobs are sparse)`
  ]
  for (const a of plan.artifacts) {
    const what = a.refPath ?? a.blobPath
    lines.push(`  ${what}  ${formatBytes(a.reclaimAllocatedBytes)}  ${a.why ?? ''}`)
  }
  return lines.join('\n')
}

export function describeFlatReclaim(r: FlatReclaimResult): string {
  const lines = [
    `✓ Flat rootfs artifacts: ${r.removed.length} files deleted, ${formatBytes(r.freedAllocatedBytes)} freed on disk ` +
      `(${formatBytes(r.freedLogicalBytes)} long)`
  ]
  for (const s of r.skipped) lines.push(`  skipped ${s.path}: ${s.why}`)
  for (const n of r.notes) lines.push(`  note: ${n}`)
  return lines.join('\n')
}
