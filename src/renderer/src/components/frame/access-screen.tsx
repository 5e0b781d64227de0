// Serve mode, opened without the URL `serve` printed (or with a token from an earlier run): every call
// would be refused, so instead of a retry loop the page says, once, how to get in.
export function AccessScreen({ reason }: { reason: 'no-token' | 'token-refused' }) {
  return (
    <div className="center-message access-screen" role="alert" data-testid="access-screen">
      <h2>{reason === 'no-token' ? 'Open the address the explorer printed' : 'This page’s key is no longer valid'}</h2>
      <p>
        {reason === 'no-token'
          ? 'This page was opened without its session key, so the explorer will not answer it.'
          : 'The explorer server was restarted since this page was opened, and it made a new session key.'}
      </p>
      <p>
        Where the explorer runs, <code>npm run serve</code> (or <code>image-cache-explorer serve</code>) prints a line
        like <code>http://127.0.0.1:PORT/#token=…</code>. Open that exact address; the part after <code>#</code> is the
        key. It stays in this tab across reloads, and never leaves your machine except to the explorer.
      </p>
    </div>
  )
}
