// The lab events the simulated Palette appends to its lab's log: defined once, in the contract
// (pure/protocol/palette-events.ts), which the pages read them with.
export { PALETTE_EVENT_SCHEMAS, PALETTE_EVENT_TYPES, type PaletteEventPayloads, type PaletteEventType } from '../pure/protocol/palette-events';
