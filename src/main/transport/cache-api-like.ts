// What a transport can call: the core itself (synchronous `CacheApi`) or a proxy to it in another
// thread (`AsyncCacheApi`). Transports await every call, so both shapes fit.
import type { ArgsOf, Operation, ResultOf } from '../../shared/contract'

export type CallableCacheApi = {
  [K in Operation]: (args: ArgsOf<K>) => ResultOf<K> | Promise<ResultOf<K>>
}
