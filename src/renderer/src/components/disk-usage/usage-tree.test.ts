// At 10,000 images the treemap groups registry → namespace → repository → tag and folds crowded levels
// into runs of names, so every level it draws is a few dozen tiles, each big enough to carry its label.
import { describe, expect, it } from 'vitest'
import { tenThousand } from './large-usage.fixture'
import { layoutLevel, levelOf, MAX_TILES, type UsageNode, usageTree } from './usage-tree'

describe('usage tree at 10,000 images', () => {
  it('groups registry → namespace → repository → tag', () => {
    const root = usageTree(tenThousand())
    const registry = levelOf(root).find((n) => n.name === 'registry.bench.local')!
    expect(registry.kind).toBe('registry')
    const namespace = levelOf(registry)[0]
    expect(namespace).toMatchObject({ kind: 'namespace', name: 'team-1', images: 9000 })
    const repository = (namespace.children ?? []).find((n) => n.name === 'app-97')!
    expect(repository.kind).toBe('repository')
    expect(repository.children?.map((c) => c.name)).toEqual([':v8'])
    // Docker Hub's short names are in `library`.
    const hub = usageTree({ ...tenThousand(), images: [{ ...tenThousand().images[1], reference: 'alpine:3' }] })
    const dockerHub = levelOf(hub).find((n) => n.kind === 'registry')!
    expect(dockerHub.name).toBe('docker.io')
    expect(levelOf(dockerHub).map((n) => [n.kind, n.name])).toEqual([['namespace', 'library']])
  })

  it('draws at most MAX_TILES tiles at every level, each large enough for its label', () => {
    const root = usageTree(tenThousand())
    const levels: UsageNode[] = [root]
    let seen = 0
    while (levels.length) {
      const node = levels.pop()!
      const level = levelOf(node)
      expect(level.length, node.id).toBeLessThanOrEqual(MAX_TILES)
      const tiles = layoutLevel(node, 1000, 560)
      const unlabelled = tiles.filter((t) => t.width < 36 || t.height < 18)
      // A level of a few dozen tiles may leave a few small ones, never a crowd of slivers.
      expect(unlabelled.length, node.id).toBeLessThanOrEqual(Math.max(6, tiles.length / 6))
      seen++
      if (seen < 200) levels.push(...level.filter((n) => n.children && n.kind !== 'repository'))
    }
    // Runs of names in natural order: app-97 comes before app-1067 in the same run or an earlier one.
    const team = levelOf(levelOf(levelOf(root).find((n) => n.name === 'registry.bench.local')!)[0])
    const runs = team.filter((n) => n.kind === 'range')
    expect(runs.length).toBeGreaterThan(10)
    expect(runs[0].name).toMatch(/^app-\d+ – app-\d+$/)
  })
})
