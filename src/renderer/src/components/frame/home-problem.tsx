// A home that cannot be opened (a folder that does not exist, one that is not a microsandbox home, a
// config.json msb refuses): one screen that says why and what to do, instead of an empty cache.
export function HomeProblem({ problem }: { problem: string }) {
  return (
    <div className="center-message" role="alert" data-testid="home-problem">
      <h2>This home cannot be opened</h2>
      <p>{problem}</p>
      <p>
        Start the explorer with <code>--home DIR</code> naming a microsandbox home (the folder that holds{' '}
        <code>db/msb.db</code> and <code>cache/</code>, by default <code>~/.microsandbox</code>), or set{' '}
        <code>MSB_HOME</code>.
      </p>
    </div>
  )
}
