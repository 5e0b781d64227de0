// Why reading an EROFS image failed, told apart so callers can say it plainly: the file is damaged or hostile
// ('corrupt'), uses a part of the format this reader leaves out on purpose ('unsupported'), or needs more work than
// one answer may take ('limit').
export type ErofsFailure = 'corrupt' | 'unsupported' | 'limit'

export class ErofsError extends Error {
  constructor(
    readonly failure: ErofsFailure,
    message: string
  ) {
    super(message)
    this.name = 'ErofsError'
  }
}

export function corrupt(message: string): ErofsError {
  return new ErofsError('corrupt', `corrupt EROFS image: ${message}`)
}
