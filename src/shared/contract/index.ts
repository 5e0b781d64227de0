// The one contract between the explorer's processes.
//
// Every operation the renderer, the CLI or the HTTP transport may call is a key of `CacheApi`, with
// exactly one argument object and one result. Channel names (Electron IPC), HTTP routes, the preload
// bridge, the main-process handlers and the renderer's client are all derived from these keys
// (see the operation table, `operations.ts`), so adding an operation is one line in `api.ts`, one row in
// that table and its core function.
//
// Plain data only: dates are ISO-8601 UTC strings, sizes are numbers of bytes, null means unknown.
// Split by domain: one file per concern, each type defined once; importers take them all from here.

export * from './images'
export * from './status'
export * from './usage'
export * from './files'
export * from './history'
export * from './plans'
export * from './progress'
export * from './api'
