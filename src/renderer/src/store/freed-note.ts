// Why removing a reference frees little: the words the Frees column and the detail pane use. The core's
// rule (deletion-plan.ts): an image's data goes only with its last reference and only when no sandbox
// or snapshot holds it; otherwise removal frees the reference's metadata file, and not even that when
// another reference is the same name to msb (`alpine`, `docker.io/library/alpine:latest`).
import type { SandboxRef } from '../../../shared/contract'

export interface FreedFacts {
  aliases: readonly string[]
  /** References that share the metadata file (ImageUsage.sharesMetadataWith); unknown before usage. */
  sharesMetadataWith?: readonly string[]
  sandboxes: readonly SandboxRef[]
  snapshots: readonly string[]
}

export interface FreedNoteOptions {
  /** Name the other tags (where there is room, as in the detail pane); else only count them. */
  nameAliases?: boolean
  /** Whose tags: one reference's image, or a selection's images. */
  of?: 'this image' | 'these images'
}

function names(list: readonly string[]): string {
  return list.length <= 2 ? list.join(' and ') : `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`
}

/** Whether removing the reference leaves the image's data (other tags, a sandbox or a snapshot). */
export function dataStays(facts: FreedFacts): boolean {
  return facts.aliases.length > 0 || facts.sandboxes.length > 0 || facts.snapshots.length > 0
}

/**
 * "the data stays: 2 other tags of this image; held by snapshot nightly", plus why even the metadata
 * file stays ("its metadata file stays too: alpine is the same name to msb"); null when it all goes.
 */
export function freedNote(
  facts: FreedFacts,
  { nameAliases = false, of = 'this image' }: FreedNoteOptions = {}
): string | null {
  const reasons: string[] = []
  if (facts.aliases.length > 0) {
    const n = facts.aliases.length
    const named = nameAliases ? ` (${names(facts.aliases)})` : ''
    reasons.push(`${n} other ${n === 1 ? 'tag' : 'tags'} of ${of}${named}`)
  }
  if (facts.sandboxes.length > 0) {
    reasons.push(
      `held by ${facts.sandboxes.length === 1 ? 'sandbox' : 'sandboxes'} ${names(facts.sandboxes.map((s) => s.name))}`
    )
  }
  if (facts.snapshots.length > 0) {
    reasons.push(`held by ${facts.snapshots.length === 1 ? 'snapshot' : 'snapshots'} ${names(facts.snapshots)}`)
  }
  const notes = reasons.length ? [`the data stays: ${reasons.join('; ')}`] : []
  const same = facts.sharesMetadataWith ?? []
  if (same.length > 0) {
    notes.push(
      `its metadata file stays${reasons.length ? ' too' : ''}: ${names(same)} ${same.length === 1 ? 'is' : 'are'} the same name to msb`
    )
  }
  return notes.length ? notes.join('; ') : null
}

/** What the column headers explain on hover (size terms people mix up). */
export const SIZE_TERMS = {
  size: 'Size: the compressed download msb recorded at pull time, not what the cache holds on disk.',
  freed:
    'Frees: what removing this reference frees now, the same figure the Remove dialog reports. Small when other tags of the image remain or a sandbox or snapshot holds it.',
  shared: 'Shared: bytes of layer files this image shares with other images; removing it alone frees none of them.',
  unique:
    'Unique to this image: its own fsmeta, vmdk and layers no other image uses, for all its tags together. Can exceed Size, which counts compressed downloads.'
} as const
