// Node entry: the wasm-bindgen `--target web` module, instantiated
// synchronously from the .wasm file next to it (Node's fetch cannot load
// file: URLs). Everything is ready once the import resolves.
import { readFileSync } from 'node:fs';
import { initSync } from './pkg/certbridge_wasm.js';

initSync({ module: readFileSync(new URL('./pkg/certbridge_wasm_bg.wasm', import.meta.url)) });

export * from './pkg/certbridge_wasm.js';
export { isCertbridgeError } from './js/errors.js';
