// Shown while the demo cache is open: where it is, and the way back to the cache that was open before
// (which also deletes the demo from the temporary folder).
import { useApp } from '../../store/app-store'

export function DemoBanner() {
  const status = useApp((s) => s.status)
  if (!status?.demoOf) return null
  return (
    <div className="banner banner-info" role="status" data-testid="demo-banner">
      <span>
        <strong>Demo cache.</strong> Built with msb in <code>{status.home}</code>; your own cache was not touched.
      </span>
      <button type="button" className="button" onClick={() => void useApp.getState().closeDemo()}>
        Back to {status.demoOf}
      </button>
    </div>
  )
}
