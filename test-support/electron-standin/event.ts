// The event object Electron passes to its listeners: preventDefault plus whatever the event carries.
export interface ElectronEvent {
  defaultPrevented: boolean
  preventDefault(): void
}

export function electronEvent<T extends object>(extra?: T): ElectronEvent & T {
  const event = {
    ...(extra ?? ({} as T)),
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true
    }
  }
  return event
}
