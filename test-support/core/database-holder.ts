// Another process with a home's database open, as an msb at work has it (concurrent-msb.ts): it opens
// the database, reads once (SQLite then holds its lock on the `-shm` file) and waits to be killed.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './crash-runs'

export async function holdDatabaseOpen(home: string): Promise<ChildProcess> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
    db.prepare('SELECT COUNT(*) FROM image_ref').get(); console.log('open'); setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['-e', script, join(home, 'db', 'msb.db')], { cwd: REPO_ROOT })
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the database holder exited (${code})`)))
  })
  return child
}
