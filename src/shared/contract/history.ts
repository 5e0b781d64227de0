// Build history: the steps that made an image (OCI config `history`).

/** One build step, as the image's config lists it (`docker history` shows them newest first). */
export interface HistoryStep {
  /** Position in the config's `history`, 0 = the first (oldest) step. */
  index: number
  created: string | null
  /** The instruction as stored (`/bin/sh -c #(nop)  CMD ["sh"]`, `RUN /bin/sh -c apt-get … # buildkit`). */
  createdBy: string | null
  /** The same with the shell noise Docker trims (`CMD ["sh"]`, `RUN apt-get …`): what views show. */
  instruction: string
  comment: string | null
  author: string | null
  /** Steps such as ENV or CMD make no layer and take no bytes. */
  emptyLayer: boolean
  /** Position of the layer the step made (0 = bottom); null for an empty step or when steps cannot be matched. */
  layer: number | null
}

/**
 * Why an image's steps are missing or not matched to layers:
 *   'matched'      every layer has its step;
 *   'mismatch'     the config lists a different number of layer-making steps than the image has layers:
 *                  steps are listed but no layer is labelled with one (layers keep their positions);
 *   'no-history'   the config has no `history`;
 *   'no-metadata'  msb's metadata file (`manifests/<key>.json`) is missing, unreadable or describes
 *                  another manifest (a tag moved by another reference of the same name).
 */
export type HistoryState = 'matched' | 'mismatch' | 'no-history' | 'no-metadata'

export interface ImageHistory {
  reference: string
  manifestDigest: string | null
  state: HistoryState
  /** One sentence saying why, when `state` is not 'matched'. */
  note: string | null
  /** The config's `created`: when the image was built (not when msb pulled it). */
  builtAt: string | null
  /** Oldest first, as the config lists them. */
  steps: HistoryStep[]
  /** Per layer position (0 = bottom): the index of the step that made it, or null. */
  layerSteps: (number | null)[]
}

/** When each reference's image was built (its config's `created`), for the list's Built column. */
export interface BuildDate {
  reference: string
  builtAt: string | null
}
