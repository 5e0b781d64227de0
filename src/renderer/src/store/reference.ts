// References are displayed split (registry dimmed, repository bold, tag as a pill). msb stores them
// verbatim and never normalises them, so neither does the display.
export { splitReference as parseReference, type ReferenceParts } from '../../../shared/reference'
