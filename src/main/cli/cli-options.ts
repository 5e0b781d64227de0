// What the process that runs the CLI hands it, besides the command line.
export interface CliOptions {
  /** File sizes kept between runs (CacheOptions.sizeStoreDir): the `ice` bin and `npm run cli` pass the default. */
  sizeStoreDir?: string
}
