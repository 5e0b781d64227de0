// A small cache with every case remove and prune care about, cheap enough to copy for each of many
// runs: unique and shared layers, aliases (two under one metadata file), a retag that leaves a
// manifest without references, an image a sandbox uses and one a snapshot keeps.
import type { LayerSpec, OciImageSpec } from '../../src/main/demo/oci-archive'
import type { Scenario } from '../fixtures/scenarios'

const KiB = 1024
export const smallLayer = (seed: string, kib: number): LayerSpec => ({ seed, sizeBytes: kib * KiB, files: 2 })

export const SMALL_BASE = smallLayer('small-base', 16)
const lib = smallLayer('small-lib', 8)
/** An image of the small scenario: `base` layers plus its own layer `small-<name>`. */
export const smallImage = (name: string, base: LayerSpec[], kib = 4): OciImageSpec => ({
  layers: [...base, smallLayer(`small-${name}`, kib)],
  config: { cmd: [name] }
})

export function smallScenario(): Scenario {
  return {
    entries: [
      { reference: 'busybox', image: smallImage('busybox', []) },
      { reference: 'docker.io/library/busybox:latest', image: smallImage('busybox', []) },
      { reference: 'localhost/solo:1', image: smallImage('solo', [], 8) },
      { reference: 'localhost/web:1', image: smallImage('web', [SMALL_BASE, lib]) },
      { reference: 'localhost/web:stable', image: smallImage('web', [SMALL_BASE, lib]) },
      { reference: 'localhost/api:1', image: smallImage('api', [SMALL_BASE, lib]) },
      { reference: 'localhost/worker:1', image: smallImage('worker-v1', [SMALL_BASE]) },
      { reference: 'localhost/job:1', image: smallImage('job', [SMALL_BASE]) },
      { reference: 'localhost/db:1', image: smallImage('db', [SMALL_BASE, lib], 12) },
      // Retag: worker:1 moves on, the v1 manifest stays without a reference.
      { reference: 'localhost/worker:1', image: smallImage('worker-v2', [SMALL_BASE]) }
    ],
    inUse: [{ reference: 'localhost/job:1', sandbox: { name: 'job-runner', status: 'Running' } }],
    snapshots: [{ reference: 'localhost/db:1', name: 'db-snapshot' }]
  }
}
