// `tsx e2e/support/prebuild.ts`: the builds the e2e suite runs on (build-for-e2e.ts), for
// scripts/test.sh to make beside the unit tests instead of in Playwright's global setup.
import { buildForE2e } from './build-for-e2e'

await buildForE2e()
