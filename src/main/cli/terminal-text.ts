// Text from the cache (file names inside a layer, references, sandbox names, paths in messages) is
// written to a terminal, which obeys control characters: a crafted layer could set the window title,
// clear the screen or print a row that is not there. Every human (non-JSON) output goes through here;
// JSON needs nothing, JSON.stringify escapes control characters itself.

// C0 controls and DEL, C1 controls (U+009B is a one-character CSI to many terminals), the
// bidirectional overrides and isolates that make text display in another order than it is stored, and
// the lone surrogates U+DC80–U+DCFF that stand for a name's bytes that are not UTF-8 (erofs-image.ts).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]/gu
// The same, but a line break is the output's own.
const CONTROL_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]/gu

// The same code units without the `u` flag, for a quick "anything to escape?" test: it matches wherever
// the patterns above do (also on half of a valid surrogate pair, which then only costs the full replace),
// and a text with nothing to escape, nearly every one, is returned as it is without a replace.
// eslint-disable-next-line no-control-regex
const MAY_NEED_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]/
const MAY_NEED_ESCAPE_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]/

const escape = (c: string): string => {
  const code = c.charCodeAt(0)
  if (c === '\n') return '\\n'
  if (c === '\t') return '\\t'
  if (c === '\r') return '\\r'
  // A byte of a name that is not UTF-8, shown as that byte.
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** One field (a file name, a reference): every control character shown as an escape, line breaks too. */
export function escapeField(text: string): string {
  return MAY_NEED_ESCAPE.test(text) ? text.replace(CONTROL, escape) : text
}

/** A whole human output: control characters escaped, its own line breaks kept. */
export function escapeOutput(text: string): string {
  return MAY_NEED_ESCAPE_BUT_NEWLINE.test(text) ? text.replace(CONTROL_BUT_NEWLINE, escape) : text
}
