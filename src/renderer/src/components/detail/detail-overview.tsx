// The Overview tab of the detail pane: what msb knows of the image and what it costs on disk.
import { formatBytes } from '../../../../shared/format'
import type { ImageHistory, ImageInsight } from '../../../../shared/contract'
import { freedNote, SIZE_TERMS } from '../../store/freed-note'
import { BytesText } from '../common/bytes-text'
import { Digest } from './digest'
import { TimeText } from '../common/time-text'

export function DetailOverview({ insight, history }: { insight: ImageInsight; history: ImageHistory | null }) {
  const handle = insight.detail.handle
  const usage = insight.usage
  // Beside the number, in words: a small figure is explained where it is read, not in a tooltip.
  const note = freedNote(usage, { nameAliases: true })
  return (
    <section aria-labelledby="detail-overview">
      <h3 id="detail-overview" className="section-title">
        Overview
      </h3>
      <dl className="facts">
        <div>
          <dt>Manifest</dt>
          <dd>
            <Digest digest={handle.manifestDigest} label="manifest digest" full />
          </dd>
        </div>
        <div>
          <dt>Platform</dt>
          <dd>
            {handle.os || handle.architecture ? (
              [handle.os, handle.architecture].filter(Boolean).join('/')
            ) : (
              <span className="muted">unknown</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>
            <BytesText bytes={handle.sizeBytes} /> <span className="muted">compressed, as pulled</span>
          </dd>
        </div>
        <div>
          <dt>Frees if removed</dt>
          <dd data-testid="detail-freed" data-bytes={usage.freedBytes}>
            <BytesText bytes={usage.freedBytes} className="strong-number" />
            {note && <span className="freed-note">{note}</span>}
          </dd>
        </div>
        <div>
          <dt title={SIZE_TERMS.unique}>Unique to this image</dt>
          <dd>
            <BytesText bytes={usage.uniqueBytes} />{' '}
            <span className="muted">per image (manifest), all its tags together</span>
          </dd>
        </div>
        <div>
          <dt>Shared on disk</dt>
          <dd>
            <BytesText bytes={usage.sharedBytes} /> <span className="muted">layers other images use</span>
          </dd>
        </div>
        <div>
          <dt>Flat rootfs</dt>
          <dd data-testid="detail-flat" data-bytes={usage.flatAllocatedBytes}>
            {usage.flatBytes === 0 ? (
              <span className="muted">none</span>
            ) : (
              <>
                <BytesText bytes={usage.flatAllocatedBytes} />{' '}
                <span className="muted">
                  on disk, {formatBytes(usage.flatBytes)} long (cache/flat; msb never deletes it)
                </span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>fsmeta / vmdk</dt>
          <dd>
            <BytesText bytes={insight.fsmetaBytes} /> / <BytesText bytes={insight.vmdkBytes} />
          </dd>
        </div>
        <div>
          <dt>Layers</dt>
          <dd>{handle.layerCount}</dd>
        </div>
        <div>
          <dt>Built</dt>
          <dd>
            {history ? (
              history.builtAt ? (
                <TimeText iso={history.builtAt} />
              ) : (
                <span className="muted">not recorded</span>
              )
            ) : (
              <span className="muted">…</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Pulled</dt>
          <dd>
            <TimeText iso={handle.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>
            <TimeText iso={handle.lastUsedAt} />
          </dd>
        </div>
        <div>
          <dt>Also known as</dt>
          <dd>{usage.aliases.length ? usage.aliases.join(', ') : <span className="muted">no other reference</span>}</dd>
        </div>
        <div>
          <dt>In use by</dt>
          <dd>
            {usage.sandboxes.length === 0 ? (
              <span className="muted">no sandbox</span>
            ) : (
              <ul className="plain-list">
                {usage.sandboxes.map((s) => (
                  <li key={s.id}>
                    <span className="badge badge-in-use">
                      <span className="dot" aria-hidden="true" />
                      {s.name}
                    </span>{' '}
                    <span className="muted">{s.status}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {usage.snapshots.length > 0 && (
          <div>
            <dt>Snapshots</dt>
            <dd>{usage.snapshots.join(', ')}</dd>
          </div>
        )}
      </dl>
    </section>
  )
}
