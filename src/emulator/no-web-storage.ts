// Node 25 and later define `globalThis.localStorage` as a getter that prints an ExperimentalWarning ("localStorage is
// not available because --localstorage-file was not provided") the first time anything reads it. msw's cookie store
// reads it when msw loads, so `astra-token emulator` on Node 26 began every run with that warning on stderr. The
// emulator keeps no cookies across runs: before msw loads, the getter becomes a plain `undefined`, as on Node 20-24.
const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
if (descriptor?.get) Object.defineProperty(globalThis, 'localStorage', { value: undefined, configurable: true, writable: true });
